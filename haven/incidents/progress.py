"""The import's progress bar: tqdm on stderr, for a terminal only (a cron job's log stays clean).

The importer reports (bytes read, rows read) every few hundred rows; the bar counts bytes
against the file's size, so it is right even though rows vary in length, and shows the rows read.
"""

from typing import TextIO

from tqdm import tqdm


class ProgressBar:
    def __init__(self, stream: TextIO, total_bytes: int):
        self.bar = tqdm(
            total=max(total_bytes, 1),
            file=stream,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            mininterval=0.2,
            dynamic_ncols=True,
            leave=True,
        )
        self.position = 0

    def __call__(self, position: int, rows: int) -> None:
        if position > self.position:
            self.bar.update(position - self.position)
            self.position = position
        self.bar.set_postfix_str(f"{rows:,} rows", refresh=False)

    def close(self) -> None:
        self.bar.close()
