"""A one-line progress bar on stderr, for a terminal only (a cron job's log stays clean)."""

import time
from collections.abc import Callable

WIDTH = 30
EVERY = 0.2  # seconds between redraws


class ProgressBar:
    def __init__(self, write: Callable[[str], None], total_bytes: int):
        self.write = write
        self.total = max(total_bytes, 1)
        self.started = time.monotonic()
        self.drawn_at = 0.0

    def __call__(self, position: int, rows: int) -> None:
        now = time.monotonic()
        if now - self.drawn_at < EVERY:
            return
        self.drawn_at = now
        share = min(position / self.total, 1.0)
        done = int(share * WIDTH)
        rate = rows / max(now - self.started, 1e-6)
        bar = "#" * done + "." * (WIDTH - done)
        self.write(f"\r[{bar}] {share:4.0%}  {rows:,} rows  {rate:,.0f} rows/s")

    def close(self) -> None:
        if self.drawn_at:
            self.write("\n")
