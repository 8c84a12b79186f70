"""Which report numbers an import has already read, in 16 to 32 bytes each, at a flat cost.

The importer needs to know whether a report it reads was already read further up, apart from
this row (its rows are not together: see importer.py). A Python set of the numbers would hold
about 70 bytes per report. This keeps their 64-bit hashes in one open-addressing table, an
array of 8-byte slots that is at most half full and doubles when it would be fuller: a million
reports take 16 to 32 MB, and adding or looking up a number costs the same at the millionth
report as at the first. (Sorted runs merged as they grew cost 8 bytes a report, but each
number was merged again about log2(reports / batch) times and looked up in as many runs: the
import's rate per row fell as the file grew.)
"""

from array import array
from collections.abc import Collection, Iterable

EMPTY = 0


class SeenReports:
    def __init__(self, capacity: int = 1 << 12):
        self.slots = array("q", bytes(8 * capacity))
        self.mask = capacity - 1
        self.count = 0

    def add(self, numbers: Collection[str]) -> None:
        while 2 * (self.count + len(numbers)) > len(self.slots):
            self._grow()
        self._put(map(_key, numbers))

    def __contains__(self, number: str) -> bool:
        key, slots, mask = _key(number), self.slots, self.mask
        i = key & mask
        while True:
            slot = slots[i]
            if slot == key:
                return True
            if slot == EMPTY:
                return False
            i = (i + 1) & mask

    def __len__(self) -> int:
        return self.count

    def _put(self, keys: Iterable[int]) -> None:
        slots, mask = self.slots, self.mask
        for key in keys:
            i = key & mask
            while True:
                slot = slots[i]
                if slot == key:
                    break
                if slot == EMPTY:
                    slots[i] = key
                    self.count += 1
                    break
                i = (i + 1) & mask

    def _grow(self) -> None:
        old = self.slots
        self.slots = array("q", bytes(16 * len(old)))
        self.mask = 2 * len(old) - 1
        self.count = 0
        self._put(key for key in old if key != EMPTY)


def _key(number: str) -> int:
    # A 64-bit hash: two numbers sharing one in a million reports is a one-in-ten-million
    # chance, and would only flag a row as scattered, never import anything wrongly. The one
    # hash that is 0 shares the mark of an empty slot, so it is stored as 1.
    return hash(number) or 1
