"""The import's record of the report numbers it has read (incidents/seen.py)."""

from haven.incidents.seen import SeenReports


class HashesToZero(str):
    def __hash__(self):
        return 0


def test_a_number_is_seen_once_added_and_never_before():
    seen = SeenReports()
    assert "JH100101" not in seen
    seen.add({"JH100101": None, "JH100102": None})
    assert "JH100101" in seen
    assert "JH100102" in seen
    assert "JH100103" not in seen
    assert len(seen) == 2


def test_the_table_grows_and_keeps_every_number():
    seen = SeenReports(capacity=8)
    numbers = [f"JJ{n:06d}" for n in range(50_000)]
    for start in range(0, len(numbers), 2000):
        seen.add(numbers[start : start + 2000])
    assert all(number in seen for number in numbers)
    assert not any(f"JK{n:06d}" in seen for n in range(50_000))
    assert len(seen) == 50_000
    # At most half full, and never more than four slots (32 bytes) a number.
    assert 2 * len(seen) <= len(seen.slots) <= 4 * len(seen)


def test_adding_a_number_again_counts_it_once():
    seen = SeenReports()
    seen.add(["JH100101"])
    seen.add(["JH100101", "JH100102"])
    assert len(seen) == 2


def test_a_number_whose_hash_is_zero_is_not_taken_for_an_empty_slot():
    seen = SeenReports()
    assert HashesToZero("JH000000") not in seen
    seen.add([HashesToZero("JH000000")])
    assert HashesToZero("JH000000") in seen
