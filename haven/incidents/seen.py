"""Which report numbers an import has already read, in 8 bytes each.

The importer needs to know whether a report it reads was already read further up, apart from
this row (its rows are not together: see importer.py). A Python set of the numbers would hold
about 70 bytes per report; this keeps their 64-bit hashes in a few sorted arrays instead, merged
as they grow (sizes halve from the oldest run to the newest), so a million reports take 8 MB and
a look-up is a binary search in each of a handful of arrays.
"""

from array import array
from bisect import bisect_left
from heapq import merge


class SeenReports:
    def __init__(self):
        self.runs: list[array] = []

    def add(self, numbers) -> None:
        self.runs.append(array("q", sorted(hash(n) for n in numbers)))
        while len(self.runs) > 1 and len(self.runs[-2]) <= 2 * len(self.runs[-1]):
            newer, older = self.runs.pop(), self.runs.pop()
            self.runs.append(array("q", merge(older, newer)))

    def __contains__(self, number: str) -> bool:
        # A 64-bit hash: two numbers sharing one in a million reports is a one-in-ten-million
        # chance, and would only flag a row as scattered, never import anything wrongly.
        key = hash(number)
        for run in self.runs:
            i = bisect_left(run, key)
            if i < len(run) and run[i] == key:
                return True
        return False

    def __len__(self) -> int:
        return sum(len(run) for run in self.runs)
