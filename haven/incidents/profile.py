"""Import profiles: small TOML files that say which column of an export holds what.

Every key is described in docs/import-profiles.md. A profile is checked whole when it is loaded,
so a typo in a key, a map or a code stops the import before the first row, naming the key.
What a profile holds is in profile_spec.py; how its TOML is read, in profile_parser.py.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from haven.incidents.profile_parser import _Parser, has_time, parse_age_range
from haven.incidents.profile_spec import (
    DEFAULT,
    FORMATS,
    PROFILE_DIR,
    OffenseSpec,
    PeopleSpec,
    Profile,
    ProfileError,
    Source,
    Test,
)

__all__ = [
    "DEFAULT",
    "FORMATS",
    "PROFILE_DIR",
    "OffenseSpec",
    "PeopleSpec",
    "Profile",
    "ProfileError",
    "Source",
    "Test",
    "_Parser",
    "available_profiles",
    "has_time",
    "load_profile",
    "parse_age_range",
]


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.toml"))


def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by name ("chicago"), or a department's own file by its path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = PROFILE_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise ProfileError(
                f"No import profile named {name_or_path!r}. Shipped profiles: "
                f"{', '.join(available_profiles())}; or give the path of your own .toml file."
            )
    return _load(str(path.resolve()))


@cache
def _load(path: str) -> Profile:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"Cannot read the profile {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"The profile {path} is not valid TOML: {exc}.") from None
    return _Parser(data, Path(path).stem, folder=Path(path).parent).profile()
