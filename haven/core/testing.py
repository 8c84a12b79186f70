"""Test helpers every app's tests share (no app imports this module)."""

import threading
from collections.abc import Callable

from django.db import connection
from django_scopes import scopes_disabled


def at_once(
    calls: list[Callable[[], object]],
    *,
    done: str,
    refused: type[Exception],
    say: Callable[[Exception], str],
) -> list[str]:
    """Run each call in its own thread and database connection, all released together by a
    barrier (real concurrent writers need PostgreSQL; docs/testing.md). Each outcome is `done`,
    what `say` makes of a `refused` exception, or the repr of any other error."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(index, call):
        try:
            with scopes_disabled():
                barrier.wait()
                call()
                outcomes[index] = done
        except refused as exc:
            outcomes[index] = say(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertions
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
