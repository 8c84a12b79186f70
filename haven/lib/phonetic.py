"""American Soundex: a name's sound as a letter and three digits ("Smith", "Smyth" -> S530).

Used only inside a blind index (people.indexes.sounds_like_index), so that an import can find
the people whose last name sounds like a report's without the database holding the name. The
rules are the National Archives' (https://www.archives.gov/research/census/soundex): the first
letter kept; B F P V=1, C G J K Q S X Z=2, D T=3, L=4, M N=5, R=6; vowels, H, W and Y dropped;
letters of the same digit side by side, or separated only by H or W, coded once.

Written here rather than taken from a library: the one installed (rapidfuzz) has no phonetic
codes, jellyfish is a compiled package for twenty lines, and the algorithm is fixed since 1918.
"""

_DIGITS = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """The Soundex code of an already normalized name (lower-case ASCII letters and digits,
    see crypto.normalize_name); "" when it has no letter a-z."""
    letters = [ch for ch in name.lower() if "a" <= ch <= "z"]
    if not letters:
        return ""
    code = letters[0].upper()
    previous = _DIGITS.get(letters[0], "")
    for ch in letters[1:]:
        digit = _DIGITS.get(ch, "")
        if digit and digit != previous:
            code += digit
            if len(code) == 4:
                break
        if ch not in "hw":  # H and W do not separate two letters of the same digit
            previous = digit
    return code.ljust(4, "0")
