"""A purge on the demo agency, where cases carry data in every app: every row of the purged
cases and people is gone, nothing else is, the filed PMT reports keep their counts, the
certificate names nobody and the access log still verifies."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django_scopes import scopes_disabled

from haven.agencies.models import Agency, Membership
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.selectors import chains, verify_chain
from haven.cases.models import Case, CasePerson, CaseStatus
from haven.core.actor import Actor
from haven.core.roles import Role
from haven.demo.builder import build_demo
from haven.lib.quarters import Quarter
from haven.people.models import ContactPoint, Person
from haven.reports.pmt import pmt_report
from haven.retention.hooks import register_purger
from haven.retention.models import DestructionCertificate, ItemStatus, RecordKind
from haven.retention.services import batch_approve, batch_propose, schedule_save

CHICAGO = ZoneInfo("America/Chicago")
BUILT = datetime(2022, 6, 15, 10, 0, tzinfo=CHICAGO)
LATER = datetime(2027, 1, 20, 10, 0, tzinfo=CHICAGO)  # four and a half years on


def _fk_fields(target):
    """(model, field) for every concrete foreign key to `target` in every installed app."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is target
    ]


def _rows_of(case_ids, person_ids) -> dict[str, int]:
    counts = {}
    for target, ids in ((Case, case_ids), (Person, person_ids)):
        for model, field in _fk_fields(target):
            key = f"{model._meta.label}.{field.name}"
            counts[key] = model._base_manager.filter(**{f"{field.attname}__in": ids}).count()
    return counts


@pytest.fixture
def demo(db):
    with time_machine.travel(BUILT, tick=False), scopes_disabled():
        build_demo(agencies=1, cases=16, seed=7, now=BUILT)
    with scopes_disabled():
        agency = Agency.objects.get()
        sups = list(
            Membership.objects.filter(agency=agency, role__in=[Role.SUPERVISOR, Role.COORDINATOR])
        )
    return agency, sups


@pytest.mark.django_db(transaction=False)
def test_a_purge_destroys_every_row_of_the_cases_and_people_and_nothing_else(demo):
    agency, (first, second, *_rest) = demo
    seen = []
    remove = register_purger(
        lambda **record: (
            seen.append({k: v.pk for k, v in record.items() if v}) or [("fake", "0" * 64)]
        )
    )
    try:
        with time_machine.travel(LATER, tick=False), scopes_disabled():
            proposer, approver = Actor.for_membership(first), Actor.for_membership(second)
            ended = Case.objects.filter(agency=agency, status=CaseStatus.CLOSED)
            case_ids = set(ended.values_list("pk", flat=True))
            assert len(case_ids) >= 3, "the demo should have closed cases"
            people = set(ended.values_list("primary_victim_id", flat=True)) | set(
                CasePerson.objects.filter(case_id__in=case_ids).values_list("person_id", flat=True)
            )
            still_served = set(
                Case.objects.exclude(pk__in=case_ids).values_list("primary_victim_id", flat=True)
            ) | set(
                CasePerson.objects.exclude(case_id__in=case_ids).values_list("person_id", flat=True)
            )
            gone_people = people - still_served
            names = list(
                Person.objects.filter(pk__in=gone_people).values_list(
                    "first_name", "last_name", "date_of_birth"
                )
            )
            indexes = [
                i
                for i in Person.objects.filter(pk__in=gone_people).values_list(
                    "name_dob_index", flat=True
                )
                if i
            ]
            indexes += [
                i
                for i in ContactPoint.objects.filter(person_id__in=gone_people).values_list(
                    "value_index", flat=True
                )
                if i
            ]
            kept_before = _rows_of(
                set(Case.objects.exclude(pk__in=case_ids).values_list("pk", flat=True)),
                set(Person.objects.exclude(pk__in=gone_people).values_list("pk", flat=True)),
            )
            before = _rows_of(case_ids, gone_people)
            assert sum(before.values()) > 10 * len(case_ids)
            quarters = [Quarter.parse("2022Q3"), Quarter.parse("2022Q4")]
            filed = {str(q): pmt_report(approver, q) for q in quarters}

            schedule_save(
                actor=Actor.system(agency, "test"),
                kind=RecordKind.CLOSED_CASE,
                years=3,
                legal_basis="Agency records schedule 25-001 (test)",
            )
            batch = batch_propose(actor=proposer, kind=RecordKind.CLOSED_CASE)
            certificate = batch_approve(actor=approver, batch=batch)

            assert certificate.count == len(case_ids)
            assert set(batch.items.values_list("status", flat=True)) == {ItemStatus.PURGED}
            after = _rows_of(case_ids, gone_people)
            assert {k: v for k, v in after.items() if v} == {}
            # Nothing of the cases and people that were kept went with them.
            assert (
                _rows_of(
                    set(Case.objects.values_list("pk", flat=True)),
                    set(Person.objects.values_list("pk", flat=True)),
                )
                == kept_before
            )
            assert Person.objects.filter(pk__in=gone_people).count() == 0
            # Blind indexes are gone with their rows.
            assert not Person.objects.filter(name_dob_index__in=indexes).exists()
            assert not ContactPoint.objects.filter(value_index__in=indexes).exists()
            # The purgers (documents) were asked for each case and each person.
            assert {r["case"] for r in seen if "case" in r} == case_ids
            assert {r["person"] for r in seen if "person" in r} == gone_people
            assert certificate.document_digests[0] == ["fake", "0" * 64]
            # The filed quarters count what they counted.
            for quarter in quarters:
                assert pmt_report(approver, quarter).sections == filed[str(quarter)].sections
                assert pmt_report(approver, quarter).individuals == filed[str(quarter)].individuals
            # The certificate and its audit event name nobody.
            event = AuditEvent.objects.get(pk=certificate.audit_event_id)
            assert event.action == AuditAction.DESTRUCTION_CERTIFICATE
            assert event.details["sha256"] == certificate.sha256
            text = str(
                DestructionCertificate.objects.filter(pk=certificate.pk).values().get()
            ) + str(event.details)
            for _first_name, last_name, born in names:
                assert last_name not in text
                if born:
                    assert born.isoformat() not in text
            for chain in chains():
                assert verify_chain(chain)[1] is None
    finally:
        remove()
