#!/usr/bin/env python3
"""Visible text in the staff templates, and whether it is marked for translation.

    scripts/template_text.py --check     list visible text not wrapped (exit 1 if any)
    scripts/template_text.py --wrap      wrap it: {% translate %} / {% blocktranslate %}
    scripts/template_text.py --check FILE...   only these templates

"Visible text" is text between HTML tags and template tags that has a letter in it (outside
<script>, <style>, comments and translate blocks), the text of title, alt, aria-label and
placeholder attributes, text arguments of template tags (hint="...", here="...") and the text
arguments of the default and yesno filters. --wrap turns a run of text and {{ variables }}
into one {% blocktranslate trimmed %} with named variables, `X{{ n|pluralize }}` into a real
plural (`count counter=n` ... `{% plural %}`), plain text into {% translate "..." %}, and tag
and filter arguments into _("..."). Check what it wrote: a sentence split by HTML tags becomes
several messages, which is fine for translators but worth joining by hand where it reads badly.

Victim and partner pages choose their words in their own five languages (docs/translation.md)
and are left alone: VICTIM_TEMPLATES.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Pages and printouts in the victim's (or partner's) own language, through Haven's own word
# lists (haven/public/texts, haven/portal/texts.py, words.py, referrals/partner_words.py ...),
# never the staff language.
VICTIM_TEMPLATES = {
    "haven/templates/includes/quick_exit.html",
    "haven/public/templates/public/help.html",
    "haven/public/templates/public/_own_text.html",
    "haven/portal/templates/portal/base.html",
    "haven/portal/templates/portal/gate.html",
    "haven/portal/templates/portal/gone.html",
    "haven/portal/templates/portal/status.html",
    "haven/notices/templates/notices/opt_out.html",
    "haven/reports/templates/reports/_survey_base.html",
    "haven/reports/templates/reports/survey.html",
    "haven/reports/templates/reports/survey_done.html",
    "haven/referrals/templates/referrals/partner_base.html",
    "haven/referrals/templates/referrals/partner.html",
    "haven/referrals/templates/referrals/partner_gone.html",
    "haven/referrals/templates/referrals/partner_document_refused.html",
    "haven/referrals/templates/referrals/_partner_documents.html",
    "haven/safety/templates/safety/plan_print.html",
}

TOKEN = re.compile(
    r"(\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->"
    r"|</?[a-zA-Z!](?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{)*>)",
    re.S,
)
TEXT_ATTRS = ("title", "alt", "aria-label", "placeholder")
ATTR = re.compile(r"(\s(?:" + "|".join(TEXT_ATTRS) + r')=)"([^"]*)"')
# Text arguments of tags: {% field f hint="..." %}, {% include "x.html" with here="..." %}.
TAG_TEXT_ARG = re.compile(
    r'(\b(?:hint|here|caption|empty|empty_text|text|title|label|legend|heading)=)"([^"]*[A-Za-z][^"]*)"'
)
FILTER_TEXT_ARG = re.compile(r'(\|(?:default|default_if_none|yesno):)"([^"]*[A-Za-z][^"]*)"')
TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
ENTITY = re.compile(r"&[#\w]+;")
EDGE = " \t\r\n·—–|"
PLURALIZE = re.compile(r"\|pluralize(?::(\"[^\"]*\"|'[^']*'))?$")


def has_letters(text: str) -> bool:
    return re.search(r"[^\W\d_]", ENTITY.sub("", text)) is not None


def templates(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p).resolve() for p in paths]
    found = sorted(ROOT.glob("haven/**/templates/**/*.html"))
    return [p for p in found if str(p.relative_to(ROOT)) not in VICTIM_TEMPLATES]


def tokens(source: str) -> list[tuple[str, str]]:
    """(kind, text): kind is text, var, tag, comment or html."""
    out, at = [], 0
    for match in TOKEN.finditer(source):
        if match.start() > at:
            out.append(("text", source[at : match.start()]))
        piece = match.group(0)
        if piece.startswith("{{"):
            kind = "var"
        elif piece.startswith("{%"):
            kind = "tag"
        elif piece.startswith(("{#", "<!--")):
            kind = "comment"
        else:
            kind = "html"
        out.append((kind, piece))
        at = match.end()
    if at < len(source):
        out.append(("text", source[at:]))
    return out


def _tag_name(piece: str) -> str:
    found = TAG_NAME.match(piece)
    return found.group(1) if found else ""


class Walker:
    """Walks a template's tokens, yielding runs of visible text, with their positions."""

    def __init__(self, source: str):
        self.toks = tokens(source)

    def runs(self):
        """(start, end) token index ranges of text+var runs that hold visible text; and
        index of html/tag tokens with text arguments."""
        skip_until = None
        run: list[int] = []
        raw = False  # inside <script>/<style>
        for i, (kind, piece) in enumerate(self.toks):
            if skip_until:
                if kind == "tag" and _tag_name(piece) == skip_until:
                    skip_until = None
                continue
            if kind == "tag":
                name = _tag_name(piece)
                if name in ("comment", "blocktranslate", "blocktrans", "verbatim"):
                    yield from self._flush(run)
                    run = []
                    skip_until = "end" + name
                    continue
            if kind == "html":
                lower = piece.lower()
                if lower.startswith(("<script", "<style")):
                    raw = True
                elif lower.startswith(("</script", "</style")):
                    raw = False
            if raw:
                continue
            if kind in ("text", "var"):
                run.append(i)
                continue
            yield from self._flush(run)
            run = []
            if kind in ("html", "tag"):
                yield ("piece", i)
        yield from self._flush(run)

    def _flush(self, run: list[int]):
        if any(self.toks[i][0] == "text" and has_letters(self.toks[i][1]) for i in run):
            # Leave the edges' blank space and separators (and lone variables at the very
            # edges only when blank) outside.
            yield ("run", run)
        else:
            for i in run:
                if self.toks[i][0] == "var":
                    yield ("piece", i)


def piece_problems(piece: str) -> list[str]:
    found = []
    if piece.startswith("<"):
        for _, value in ATTR.findall(piece):
            if has_letters(value) and "{%" not in value:
                found.append(value)
    elif piece.startswith("{%"):
        if _tag_name(piece) not in ("translate", "trans", "blocktranslate", "load", "url"):
            found += [v for _, v in TAG_TEXT_ARG.findall(piece)]
        found += [v for _, v in FILTER_TEXT_ARG.findall(piece)]
    elif piece.startswith("{{"):
        found += [v for _, v in FILTER_TEXT_ARG.findall(piece)]
    return found


def wrap_piece(piece: str) -> str:
    if piece.startswith("<"):

        def attr(m):
            value = m.group(2)
            if not has_letters(value) or "{%" in value:
                return m.group(0)
            if "{{" in value:
                return f'{m.group(1)}"{blocktranslate_of(tokens(value))}"'
            return m.group(1) + '"{% translate ' + quote(value, prefer="'") + ' %}"'

        return ATTR.sub(attr, piece)
    if piece.startswith("{%") and _tag_name(piece) not in (
        "translate",
        "trans",
        "blocktranslate",
        "load",
        "url",
    ):
        piece = TAG_TEXT_ARG.sub(lambda m: f'{m.group(1)}_("{m.group(2)}")', piece)
    return FILTER_TEXT_ARG.sub(lambda m: f'{m.group(1)}_("{m.group(2)}")', piece)


def quote(text: str, prefer: str = '"') -> str:
    other = "'" if prefer == '"' else '"'
    if prefer not in text:
        return f"{prefer}{text}{prefer}"
    if other not in text:
        return f"{other}{text}{other}"
    raise ValueError(text)


def _name_of(expr: str) -> str:
    base = expr.split("|")[0].strip()
    last = base.split(".")[-1]
    last = re.sub(r"^get_(\w+)_display$", r"\1", last)
    if not re.match(r"^[A-Za-z_]\w*$", last) or last in ("counter", "with", "count", "trimmed"):
        last = "value"
    return last


def blocktranslate_of(run: list[tuple[str, str]]) -> str:
    """One {% blocktranslate %} for a run of (kind, text) tokens."""
    names: dict[str, str] = {}  # expression -> name
    parts: list[tuple[str, str]] = []
    plural_expr = None
    plural_bases = set()
    for kind, piece in run:
        if kind == "var":
            expr = piece[2:-2].strip()
            m = PLURALIZE.search(expr)
            if m:
                plural_bases.add(expr[: m.start()].strip())
    if len(plural_bases) == 1:
        plural_expr = plural_bases.pop()
    for kind, piece in run:
        if kind == "text":
            parts.append(("text", piece))
            continue
        expr = piece[2:-2].strip()
        m = PLURALIZE.search(expr)
        if plural_expr is not None and m and expr[: m.start()].strip() == plural_expr:
            arg = (m.group(1) or '"s"')[1:-1] if m.group(1) else "s"
            one, many = arg.split(",", 1) if "," in arg else ("", arg)
            parts.append(("plural", f"{one}\x00{many}"))
            continue
        if plural_expr is not None and expr == plural_expr:
            parts.append(("text", "{{ counter }}"))
            continue
        if re.match(r"^[A-Za-z_]\w*$", expr) and expr not in ("counter",):
            names.setdefault(expr, expr)
            parts.append(("text", "{{ " + expr + " }}"))
            continue
        if expr not in names:
            name = _name_of(expr)
            taken = set(names.values())
            base, n = name, 2
            while name in taken:
                name, n = f"{base}{n}", n + 1
            names[expr] = name
        parts.append(("text", "{{ " + names[expr] + " }}"))

    def body(which: int) -> str:
        out = []
        for kind, text in parts:
            out.append(text.split("\x00")[which] if kind == "plural" else text)
        return "".join(out)

    withs = " ".join(f"{name}={expr}" for expr, name in names.items() if name != expr)
    opts = "trimmed"
    if plural_expr is not None:
        opts += f" count counter={plural_expr}"
    if withs:
        opts += f" with {withs}"
    if plural_expr is not None:
        return (
            f"{{% blocktranslate {opts} %}}{body(0)}{{% plural %}}{body(1)}"
            f"{{% endblocktranslate %}}"
        )
    return f"{{% blocktranslate {opts} %}}{body(0)}{{% endblocktranslate %}}"


def wrap_run(run: list[tuple[str, str]]) -> str:
    # Blank space, separators and lone variables at the edges stay outside.
    lead, trail = "", ""
    run = list(run)
    while run:
        kind, text = run[0]
        if kind == "text" and not has_letters(text):
            lead += text
            run.pop(0)
        elif kind == "text" and text[0] in EDGE:
            stripped = text.lstrip(EDGE)
            lead += text[: len(text) - len(stripped)]
            run[0] = ("text", stripped)
        else:
            break
    while run:
        kind, text = run[-1]
        if kind == "text" and not has_letters(text):
            trail = text + trail
            run.pop()
        elif kind == "text" and text[-1] in EDGE:
            stripped = text.rstrip(EDGE)
            trail = text[len(stripped) :] + trail
            run[-1] = ("text", stripped)
        else:
            break
    if all(kind == "text" for kind, _ in run):
        text = "".join(t for _, t in run)
        if "\n" not in text and ('"' not in text or "'" not in text):
            return f"{lead}{{% translate {quote(text)} %}}{trail}"
    return lead + blocktranslate_of(run) + trail


def problems_in(path: Path) -> list[str]:
    source = path.read_text()
    walker = Walker(source)
    found = []
    for what, where in walker.runs():
        if what == "run":
            text = "".join(walker.toks[i][1] for i in where)
            found.append(" ".join(text.split())[:100])
        else:
            found += piece_problems(walker.toks[where][1])
    return found


def wrap(path: Path) -> bool:
    source = path.read_text()
    walker = Walker(source)
    toks = [piece for _, piece in walker.toks]
    replace: dict[int, str] = {}
    drop: set[int] = set()
    for what, where in walker.runs():
        if what == "run":
            replace[where[0]] = wrap_run([walker.toks[i] for i in where])
            drop.update(where[1:])
        else:
            new = wrap_piece(toks[where])
            if new != toks[where]:
                replace[where] = new
    if not replace:
        return False
    out = []
    for i, piece in enumerate(toks):
        if i in drop:
            continue
        out.append(replace.get(i, piece))
    text = "".join(out)
    if "{% load" not in text or not re.search(r"\{% load [^%]*\bi18n\b", text):
        # After {% extends %} when there is one (it must come first).
        m = re.match(r"\s*\{% extends [^%]*%\}", text)
        if m:
            text = text[: m.end()] + "{% load i18n %}" + text[m.end() :]
        else:
            text = "{% load i18n %}" + text
    path.write_text(text)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true")
    group.add_argument("--wrap", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    paths = templates(args.paths)
    if args.wrap:
        changed = [p for p in paths if wrap(p)]
        print(f"wrapped text in {len(changed)} of {len(paths)} templates")
        return 0
    total = 0
    for path in paths:
        for text in problems_in(path):
            print(f"{path.relative_to(ROOT)}: {text}")
            total += 1
    if total:
        print(f"{total} visible text(s) not marked for translation", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
