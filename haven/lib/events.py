"""Domain events: a lower app says what happened; higher apps subscribe to react.

Django's own signals, sent only after the transaction commits: every Django developer reads
them already, `django_capture_on_commit_callbacks` sees them in tests, and nothing else is
needed. An `Event` is a `django.dispatch.Signal` with a name, a sentence for the docs and one
way to send it, `publish`:

    # haven/cases/signals.py (the publisher, lower)
    case_closed = Event("cases.case_closed", "A case was closed. case_id.")
    # haven/cases/services/status.py, inside the service's transaction
    case_closed.publish(sender=Case, case_id=case.pk)
    # haven/reports/apps.py (the subscriber, higher), in AppConfig.ready
    case_closed.connect(receivers.offer_closure_survey, dispatch_uid="reports.closure_survey")

The publisher never imports its subscribers, so dependencies point down (docs/architecture.md).
Each receiver runs after commit and on its own: one that raises is logged with its traceback
(an ERROR on `haven.events`) and neither stops the others nor touches the committed work.
Keep the facts small (ids, codes): receivers read what they need in their own transaction.
"""

from __future__ import annotations

import logging
import weakref
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("haven.events")

# Every Event made, by name: docs/architecture.md lists them with their subscribers.
EVENTS: dict[str, Event] = {}


class Event(Signal):
    def __init__(self, name: str, doc: str) -> None:
        super().__init__()
        if name in EVENTS:
            raise ValueError(f"Two events are named {name!r}.")
        self.name = name
        self.doc = doc
        EVENTS[name] = self

    def __repr__(self) -> str:
        return f"<Event {self.name}>"

    def publish(self, *, sender, **facts) -> None:
        """Send after the current transaction commits (at once outside one)."""
        transaction.on_commit(partial(self.deliver, sender, facts))

    def deliver(self, sender, facts: dict) -> None:
        for receiver, result in self.send_robust(sender=sender, **facts):
            if isinstance(result, Exception):
                logger.error(
                    "%s: subscriber %s failed (the publisher's work stands)",
                    self.name,
                    _name(receiver),
                    exc_info=(type(result), result, result.__traceback__),
                )

    def subscribers(self) -> list[str]:
        """The dotted names of the connected receivers (for the docs and tests)."""
        found = []
        for entry in self.receivers:
            receiver = entry[1]
            if isinstance(receiver, weakref.ReferenceType):
                receiver = receiver()
            if receiver is not None:
                found.append(_name(receiver))
        return found


def _name(receiver) -> str:
    return f"{receiver.__module__}.{receiver.__qualname__}"
