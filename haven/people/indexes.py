"""The blind indexes of a person's identity: keyed digests the database can compare while it
holds names and birth dates only as ciphertext (docs/security.md, "Blind indexes").

Each digest is namespaced by its kind, so a last-name digest never equals a full-name one.
"""

from datetime import date

from haven.lib.crypto import blind_index, normalize_name
from haven.lib.phonetic import soundex


def name_dob_index(first_name: str, last_name: str, date_of_birth: date | None) -> str:
    if not date_of_birth:
        return ""
    key = f"{normalize_name(first_name)}|{normalize_name(last_name)}|{date_of_birth.isoformat()}"
    return blind_index("name_dob", key)


def name_index(first_name: str, last_name: str) -> str:
    """First and last name together; "" without both."""
    first, last = normalize_name(first_name), normalize_name(last_name)
    if not first or not last:
        return ""
    return blind_index("name", f"{first}|{last}")


def last_name_index(last_name: str) -> str:
    last = normalize_name(last_name)
    return blind_index("last_name", last) if last else ""


def sound_key(last_name: str) -> str:
    """The first three characters of the last name's Soundex code (its letter and first two
    consonant sounds: "Smith", "Smyth", "Smiths" -> S53), coarser than the whole code so that a
    slip after them ("Smiths", S532) still finds "Smith" (S530). A name in a script Soundex
    cannot code keeps its first letter (what the import compared on before names were
    encrypted)."""
    last = normalize_name(last_name)
    return soundex(last)[:3] or last[:1]


def sounds_like_index(last_name: str) -> str:
    """Digest of the last name's sound: people whose last names sound alike share it, which is
    how the import finds the candidates of a misspelled name (incidents.matching)."""
    key = sound_key(last_name)
    return blind_index("sounds_like", key) if key else ""


def person_indexes(first_name: str, last_name: str, date_of_birth: date | None) -> dict[str, str]:
    """Every identity index of a Person, by field name."""
    return {
        "name_dob_index": name_dob_index(first_name, last_name, date_of_birth),
        "name_index": name_index(first_name, last_name),
        "last_name_index": last_name_index(last_name),
        "sounds_like_index": sounds_like_index(last_name),
    }


def alias_indexes(first_name: str, last_name: str) -> dict[str, str]:
    """The indexes of a PersonAlias: found by an exact name or last name, never by sound."""
    return {
        "name_index": name_index(first_name, last_name),
        "last_name_index": last_name_index(last_name),
    }
