"""What the route sweeps (tenant isolation, leaks, audited reads) read of a page: its text
without the random tokens in it. A CSRF token is 64 random letters and digits: one once held
"Erin", another "Dana", the names the sweeps look for."""

import re

RANDOM_TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


def page_text(response) -> str:
    return RANDOM_TOKEN.sub("", response.content.decode(errors="replace"))
