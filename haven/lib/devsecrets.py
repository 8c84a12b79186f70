"""Development secrets generated into var/ on first run, so none lives in the repository.

Production sets HAVEN_SECRET_KEY, HAVEN_FIELD_KEYS and HAVEN_BLIND_INDEX_KEY instead.
"""

import base64
import os
import secrets
from pathlib import Path


def _read_or_create(path: Path, make) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # O_EXCL: if two processes start at once, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def dev_secret_key(var_dir: Path) -> str:
    return _read_or_create(var_dir / "secret_key", lambda: secrets.token_urlsafe(50))


def dev_field_key(var_dir: Path) -> str:
    return _read_or_create(
        var_dir / "field_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
    )


def dev_blind_index_key(var_dir: Path) -> str:
    return _read_or_create(var_dir / "blind_index_key", lambda: secrets.token_hex(32))
