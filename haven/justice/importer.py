"""Court and custody events from a feed: a CSV file (the command and the upload page) or JSON
(the API). One row is one event; rows are matched to cases by case number, police report
number, or a court case number Haven already knows. The whole feed is one transaction: if any
row is bad, nothing is written and every bad row is reported with its line and field.

Idempotent: a row whose event is already recorded changes nothing. An event is the same one
if it has the same external_id, else the same (court case number, kind, time). A row with
status "continued" and previous_at (or an external_id already known with another time) moves
the event; "cancelled" cancels it; "held" with an outcome records the result.

Columns (CSV header names, JSON keys): see COLUMNS and docs/justice.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.justice import services
from haven.justice.models import (
    CourtCase,
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    CourtLevel,
    CustodyEvent,
    CustodyEventKind,
    RightsObligation,
)

COLUMNS = (
    "type",  # court or custody
    "case_number",
    "report_number",
    "court_case_number",
    "court",
    "level",  # state (default) or federal
    "kind",
    "at",  # scheduled time (court) or when it happened (custody)
    "previous_at",  # for a moved court date: the time it was set for
    "status",  # scheduled (default), continued, cancelled, held
    "courthouse",
    "courtroom",
    "outcome",
    "conditions",
    "facility",
    "external_id",
    "defendant_name",
    "charges",
    "prosecutor_name",
    "prosecutor_phone",
    "prosecutor_email",
)
MAX_ROWS = 5000


@dataclass
class BadRow:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    obligations: int = 0
    bad: list[BadRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad


class RowError(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def read_csv(data: bytes | str) -> list[tuple[int, dict]]:
    """(line number, row) pairs. Raises RowError(line 1) for a file that is not a CSV with
    the expected header."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in COLUMNS]
    if not header or "type" not in header or "kind" not in header or "at" not in header:
        raise RowError(
            "header",
            "The first line must name the columns, at least type, kind and at "
            f"({', '.join(COLUMNS)}).",
        )
    if unknown:
        raise RowError("header", f"Unknown columns: {', '.join(unknown)}.")
    reader.fieldnames = header
    return [(reader.line_num, row) for row in reader]


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _moment(row: dict, name: str, *, required: bool) -> datetime | None:
    raw = _text(row, name)
    if not raw:
        if required:
            raise RowError(name, "Give the date and time, e.g. 2026-03-02 09:30.")
        return None
    parsed = parse_datetime(raw.replace("/", "-"))
    if parsed is None:
        raise RowError(name, f"{raw[:40]!r} is not a date and time: write 2026-03-02 09:30.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # the agency's time zone (the active one)
    return parsed


def _case(actor: Actor, row: dict) -> Case:
    cases = Case.objects.filter(agency=actor.agency)
    number, report = _text(row, "case_number"), _text(row, "report_number")
    if number:
        found = cases.filter(number=number).first()
        if found is None:
            raise RowError("case_number", f"No case {number[:30]} in this agency.")
        return found
    if report:
        found = list(cases.filter(report_number=report)[:2])
        if not found:
            raise RowError("report_number", f"No case has police report {report[:40]}.")
        if len(found) > 1:
            raise RowError(
                "report_number", "Several cases have this report number: give case_number."
            )
        return found[0]
    ccn = _text(row, "court_case_number")
    known = list(CourtCase.objects.filter(agency=actor.agency, number=ccn)[:2]) if ccn else []
    if len(known) == 1:
        return known[0].case
    raise RowError("case_number", "Give case_number or report_number to match the row to a case.")


def _court_case(actor: Actor, case: Case, row: dict, *, required: bool) -> CourtCase | None:
    ccn = _text(row, "court_case_number")
    if not ccn:
        if required:
            raise RowError("court_case_number", "A court event needs its court case number.")
        return None
    found = CourtCase.objects.filter(case=case, number=ccn).first()
    if found is not None:
        return found
    court = _text(row, "court")
    if not court:
        raise RowError("court", f"Court case {ccn[:40]} is new to this case: name its court.")
    level = _text(row, "level") or CourtLevel.STATE
    if level not in CourtLevel.values:
        raise RowError("level", "Use state or federal.")
    extra = {
        name: _text(row, name)
        for name in (
            "defendant_name",
            "charges",
            "prosecutor_name",
            "prosecutor_phone",
            "prosecutor_email",
        )
    }
    return services.court_case_save(
        actor=actor, case=case, feed=True, court=court, level=level, number=ccn, **extra
    )


def _moved_from(court_case, kind: str, at, external_id: str):
    """An event of this kind the court moved away from `at` (and not known by another id)."""
    for event in CourtEvent.objects.filter(
        court_case=court_case, kind=kind, previous_scheduled_at=at
    ).order_by("pk"):
        if not external_id or event.external_id in ("", external_id):
            return event
    return None


def _adopt_external_id(event: CourtEvent, external_id: str) -> None:
    """An event entered by hand (or matched by its time) learns the feed's id, so the feed's
    later rows for it find it whatever its time has become."""
    if external_id and not event.external_id:
        event.external_id = external_id
        event.save(update_fields=["external_id", "updated_at"])


def _court_row(actor: Actor, row: dict, source: str) -> str:
    kind = _text(row, "kind")
    if kind not in CourtEventKind.values:
        raise RowError(
            "kind",
            f"Unknown court event kind {kind[:30]!r}: use {', '.join(CourtEventKind.values)}.",
        )
    status = _text(row, "status") or CourtEventStatus.SCHEDULED
    if status not in CourtEventStatus.values:
        raise RowError("status", f"Use {', '.join(CourtEventStatus.values)}.")
    at = _moment(row, "at", required=True)
    previous = _moment(row, "previous_at", required=False)
    case = _case(actor, row)
    court_case = _court_case(actor, case, row, required=True)
    external_id = _text(row, "external_id")
    existing = _known_court_event(court_case, kind, at, previous, external_id)
    if existing is None and status != CourtEventStatus.CONTINUED:
        # The row the feed sent before the court moved the date, sent again: the same
        # hearing, already at its new time. Nothing to add.
        stale = _moved_from(court_case, kind, at, external_id)
        if stale is not None:
            _adopt_external_id(stale, external_id)
            return "unchanged"
    if existing is not None:
        _adopt_external_id(existing, external_id)
    if status in (CourtEventStatus.CANCELLED, CourtEventStatus.HELD):
        return _court_result(actor, row, existing, status)
    if existing is not None:
        return _court_move(actor, row, existing, at)
    if status == CourtEventStatus.CONTINUED and previous is not None:
        raise RowError("previous_at", "No court event at that previous time to move.")
    services.court_event_record(
        actor=actor,
        court_case=court_case,
        kind=kind,
        scheduled_at=at,
        courthouse=_text(row, "courthouse"),
        courtroom=_text(row, "courtroom"),
        external_id=external_id,
        source=source,
    )
    return "created"


def _known_court_event(
    court_case: CourtCase, kind: str, at: datetime, previous: datetime | None, external_id: str
) -> CourtEvent | None:
    """The event this row is about: the one with its external_id, else the one of its kind at
    its time (or at its previous time)."""
    if external_id:
        found = CourtEvent.objects.filter(court_case=court_case, external_id=external_id).first()
        if found is not None:
            return found
    return (
        CourtEvent.objects.filter(
            court_case=court_case, kind=kind, scheduled_at__in=[t for t in (at, previous) if t]
        )
        .order_by("pk")
        .first()
    )


def _court_result(actor: Actor, row: dict, existing: CourtEvent | None, status: str) -> str:
    """A row that cancels the event, or records the hearing held with its outcome."""
    active = existing is not None and existing.status in services.ACTIVE
    if status == CourtEventStatus.CANCELLED:
        if existing is None:
            raise RowError("status", "No such court event to cancel.")
        if not active:
            return "unchanged"
        services.court_event_cancel(
            actor=actor, event=existing, reason=_text(row, "outcome"), feed=True
        )
        return "changed"
    if existing is None:
        raise RowError("status", "Record the court event before its result.")
    if not active:
        return "unchanged"
    if not _text(row, "outcome"):
        raise RowError("outcome", "A held hearing needs its outcome.")
    services.court_event_outcome(
        actor=actor, event=existing, outcome=_text(row, "outcome"), feed=True
    )
    return "changed"


def _court_move(actor: Actor, row: dict, existing: CourtEvent, at: datetime) -> str:
    """A row for a known event: unchanged at the same time, else the court moved it."""
    if existing.scheduled_at == at:
        return "unchanged"
    if existing.status not in services.ACTIVE:
        raise RowError(
            "at",
            f"That court event is {existing.get_status_display().lower()}: it cannot move.",
        )
    services.court_event_move(
        actor=actor,
        event=existing,
        scheduled_at=at,
        feed=True,
        courthouse=_text(row, "courthouse") or None,
        courtroom=_text(row, "courtroom") or None,
    )
    return "changed"


def _custody_row(actor: Actor, row: dict, source: str) -> str:
    kind = _text(row, "kind")
    if kind not in CustodyEventKind.values:
        raise RowError(
            "kind",
            f"Unknown custody event kind {kind[:30]!r}: use {', '.join(CustodyEventKind.values)}.",
        )
    at = _moment(row, "at", required=True)
    if at > timezone.now() + timezone.timedelta(minutes=5):
        raise RowError("at", "A custody event is sent once it happened, not ahead.")
    case = _case(actor, row)
    court_case = _court_case(actor, case, row, required=False)
    external_id = _text(row, "external_id")
    same = CustodyEvent.objects.filter(case=case)
    same = (
        same.filter(external_id=external_id)
        if external_id
        else same.filter(kind=kind, occurred_at=at)
    )
    if same.exists():
        return "unchanged"
    services.custody_event_record(
        actor=actor,
        case=case,
        court_case=court_case,
        kind=kind,
        occurred_at=at,
        conditions=_text(row, "conditions"),
        facility=_text(row, "facility"),
        external_id=external_id,
        source=source,
    )
    return "created"


class _Rollback(Exception):
    pass


def justice_import(
    *, actor: Actor, rows: list[tuple[int, dict]], source: str, file_name: str = ""
) -> ImportResult:
    """Apply a feed's rows, all or nothing. Refused without justice.import. `source` is
    "csv" or "api"; the result counts rows created, changed and unchanged, the obligations
    opened, and the bad rows (then nothing was written)."""
    actor.require(Perm.JUSTICE_IMPORT)
    result = ImportResult(rows=len(rows))
    if len(rows) > MAX_ROWS:
        result.bad.append(BadRow(0, "file", f"At most {MAX_ROWS} rows a feed: split the file."))
        return result
    obligations_before = RightsObligation.objects.filter(agency=actor.agency).count()
    feed = {"source": source, "file_name": file_name[:100], "rows": result.rows}
    try:
        with transaction.atomic():
            for line, row in rows:
                outcome = _apply_row(actor, line, row, source, result.bad)
                if outcome is not None:
                    setattr(result, outcome, getattr(result, outcome) + 1)
            result.obligations = (
                RightsObligation.objects.filter(agency=actor.agency).count() - obligations_before
            )
            if result.bad:
                raise _Rollback
            counts = ("created", "changed", "unchanged", "obligations")
            _audit_import(actor, feed | {name: getattr(result, name) for name in counts})
    except _Rollback:
        result.created = result.changed = result.unchanged = result.obligations = 0
        with transaction.atomic():
            _audit_import(actor, feed | {"refused": True, "bad": len(result.bad)})
    return result


def _apply_row(actor: Actor, line: int, row: dict, source: str, bad: list[BadRow]) -> str | None:
    """One row applied: "created", "changed" or "unchanged"; None when it is bad (its faults
    are added to `bad`)."""
    try:
        kind = _text(row, "type")
        if kind == "court":
            return _court_row(actor, row, source)
        if kind == "custody":
            return _custody_row(actor, row, source)
        raise RowError("type", "Use court or custody.")
    except RowError as exc:
        bad.append(BadRow(line, exc.field, exc.message))
    except ValidationError as exc:
        fields = getattr(exc, "message_dict", {"row": exc.messages})
        for name, messages in fields.items():
            name = "row" if name == "__all__" else name
            bad.append(BadRow(line, name, " ".join(messages)))
    except PermissionDenied as exc:
        bad.append(BadRow(line, "case_number", str(exc)))
    return None


def _audit_import(actor: Actor, details: dict) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.JUSTICE_IMPORT,
        object_type="justice.import",
        details=details,
    )
