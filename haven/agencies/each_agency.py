"""Background work that runs once for every agency, each in its own scope."""

import logging
from collections.abc import Callable
from typing import Any

from haven.agencies.models import Agency
from haven.core.scoping import agency_scope

logger = logging.getLogger(__name__)


def each_agency(work: Callable[[Agency], Any], *, what: str) -> dict[int, Any]:
    """`work(agency)` for every agency, in the agency's scope; returns what it returned per
    agency id (an agency whose work returned None is left out). One agency's trouble must not
    hold up the others: each failure is logged ("<what> failed for agency 7.") and, once every
    agency had its turn, the first is raised again so the task runner retries (the work claims
    what it does, so a retry repeats nothing)."""
    done, failures = {}, []
    for agency in Agency.objects.order_by("pk"):
        with agency_scope(agency):
            try:
                result = work(agency)
            except Exception as exc:
                logger.exception("%s failed for agency %s.", what, agency.pk)
                failures.append(exc)
            else:
                if result is not None:
                    done[agency.pk] = result
    if failures:
        raise failures[0]
    return done
