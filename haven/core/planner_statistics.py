"""The query planner's statistics: how many rows each index narrows a search to.

SQLite keeps none until `ANALYZE` is run. Without them it guesses, and for a query such as
`agency_id = 1 AND case_id IN (...)` (every list page's prefetch) it guesses that the agency's
index is as selective as the case's, and walks every row of the agency: on a 35,000-case agency
that made My caseload's task and victimization lookups 13–17 ms each instead of well under one.
PostgreSQL's autovacuum gathers its statistics by itself; an explicit `ANALYZE` after a bulk
load there only brings them up to date sooner.
"""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Gather fresh planner statistics for the whole database (seconds on a large one; it takes
    no write lock on PostgreSQL and a short one on SQLite)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
