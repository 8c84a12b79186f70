import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from haven.agencies.models import Agency, District, Membership, ServiceHours
from haven.agencies.roles import Role
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.selectors import verify_chain
from haven.cases.models import (
    OPEN_STATUSES,
    Assignment,
    Case,
    CaseEvent,
    CaseEventKind,
    CasePerson,
    CaseStatus,
    CaseVictimization,
    Contact,
    ContactOutcome,
    Note,
    Task,
)
from haven.cases.people_selectors import people_matching
from haven.core.actor import Actor
from haven.demo.builder import DEMO_PASSWORD, SIGN_INS, build_demo
from haven.people.indexes import name_dob_index
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index

MODELS = (
    Agency,
    District,
    ServiceHours,
    Membership,
    get_user_model(),
    Person,
    ContactPoint,
    Case,
    CaseVictimization,
    CasePerson,
    Assignment,
    Contact,
    Note,
    Task,
    CaseEvent,
    AuditEvent,
)


def load(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="class")
def two_agencies_built(built_once):
    with built_once():
        load(agencies=2, cases=40)
        yield


@pytest.fixture
def two_agencies(two_agencies_built, db):
    return Agency.objects.get(slug="riverside"), Agency.objects.get(slug="demo-2")


# One worker runs the whole class (make test: --dist loadgroup), so the demo is built once.
@pytest.mark.xdist_group("demo_two_agencies")
class TestTwoAgenciesBuiltOnce:
    """The demo of two agencies, built once for these tests (`two_agencies_built`); what a test
    changes is rolled back after it."""

    @pytest.mark.django_db
    def test_it_builds_the_agencies_and_cases_asked_for(self, two_agencies):
        riverside, second = two_agencies
        assert riverside.name == "Riverside Police Department — Office of Victim Services"
        assert riverside.time_zone == "America/Chicago"
        assert second.time_zone != riverside.time_zone
        for agency in (riverside, second):
            assert Case.objects.filter(agency=agency).count() == 40
            assert agency.last_case_number == 40
            assert District.objects.filter(agency=agency).count() == 6
            assert ServiceHours.objects.filter(agency=agency).count() == 5
            roles = dict(
                Membership.objects.filter(agency=agency).values_list("role").annotate(n=Count("id"))
            )
            assert roles[Role.ADVOCATE] >= 3
            assert (
                roles[Role.SUPERVISOR],
                roles[Role.COORDINATOR],
                roles[Role.OFFICER],
                roles[Role.ANALYST],
                roles[Role.AUDITOR],
            ) == (1, 1, 2, 1, 1)
            numbers = list(Case.objects.filter(agency=agency).values_list("number", flat=True))
            assert all(re.fullmatch(r"20\d\d-\d{6}", n) for n in numbers)
            assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 41))

    @pytest.mark.django_db
    def test_the_demo_sign_ins_work_with_the_demo_password(self, two_agencies):
        users = get_user_model().objects
        assert users.get(username="advocate").check_password(DEMO_PASSWORD)
        for username, role in SIGN_INS:
            user = users.get(username=username)
            assert user.first_name and user.last_name
            assert user.memberships.get().role == role
        # One hash, copied: every demo user (other agencies' too) has the same password.
        demo_users = users.filter(memberships__isnull=False)
        assert demo_users.count() == Membership.objects.count()
        assert demo_users.values("password").distinct().count() == 1
        assert users.filter(username="demo-2-supervisor").exists()

    @pytest.mark.django_db
    def test_a_second_run_loads_nothing_twice(self, two_agencies):
        before = row_counts()
        output = load(agencies=2, cases=40)
        assert row_counts() == before
        assert "riverside: already loaded, skipped." in output
        assert "demo-2: already loaded, skipped." in output

    @pytest.mark.django_db
    def test_a_third_agency_is_added_beside_the_existing_ones(self, two_agencies):
        load(agencies=3, cases=10)
        assert Case.objects.filter(agency__slug="riverside").count() == 40
        assert Case.objects.filter(agency__slug="demo-3").count() == 10

    @pytest.mark.django_db
    def test_first_contact_is_the_earliest_completed_contact_with_the_victim(self, two_agencies):
        with_victim = Q(contacts__outcome=ContactOutcome.COMPLETED) & (
            Q(contacts__person__isnull=True) | Q(contacts__person=F("primary_victim"))
        )
        cases = Case.objects.annotate(earliest=Min("contacts__occurred_at", filter=with_victim))
        assert cases.count() == 80
        for case in cases:
            assert case.first_contact_at == case.earliest, case.number
        # The contact log also talks to family members, and that must not count.
        assert (
            Contact.objects.filter(person__isnull=False).exists() or not CasePerson.objects.exists()
        )

    @pytest.mark.django_db
    def test_statuses_agree_with_the_contact_log_and_the_closures(self, two_agencies):
        now = timezone.now()
        new = Case.objects.filter(status=CaseStatus.NEW)
        assert new.exists()
        assert not new.filter(first_contact_at__isnull=False).exists()
        assert new.filter(received_at__gte=now - timedelta(days=2)).count() == new.count()
        # The outreach queue has cases past the 24-hour goal and cases still within it.
        assert new.filter(received_at__lt=now - timedelta(hours=24)).exists()
        assert new.filter(received_at__gte=now - timedelta(hours=24)).exists()
        ended = Case.objects.exclude(status__in=OPEN_STATUSES)
        assert ended.filter(status=CaseStatus.CLOSED).exists()
        assert not ended.filter(Q(closed_at__isnull=True) | Q(status_reason="")).exists()
        assert not Case.objects.filter(status__in=OPEN_STATUSES, closed_at__isnull=False).exists()
        assert not Case.objects.filter(
            status__in=(CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.DECLINED),
            first_contact_at__isnull=True,
        ).exists()
        assert not Contact.objects.filter(occurred_at__gt=now).exists()
        assert not Contact.objects.filter(occurred_at__lt=F("case__received_at")).exists()
        assert not Case.objects.filter(closed_at__lt=F("first_contact_at")).exists()

    @pytest.mark.django_db
    def test_every_case_has_a_timeline(self, two_agencies):
        created = CaseEvent.objects.filter(kind=CaseEventKind.CREATED)
        assert created.values("case").distinct().count() == Case.objects.count()
        logged = CaseEvent.objects.filter(kind=CaseEventKind.CONTACT_LOGGED)
        assert logged.count() == Contact.objects.count()
        assert not logged.filter(contact__isnull=True).exists()
        notes = CaseEvent.objects.filter(kind=CaseEventKind.NOTE_ADDED)
        assert notes.count() == Note.objects.count()
        ended = Case.objects.exclude(status__in=OPEN_STATUSES)
        changed = CaseEvent.objects.filter(kind=CaseEventKind.STATUS_CHANGED, case__in=ended)
        assert changed.values("case").distinct().count() == ended.count()
        assigned = Case.objects.filter(assigned_to__isnull=False)
        assert not assigned.exclude(
            pk__in=CaseEvent.objects.filter(kind=CaseEventKind.ASSIGNED).values("case")
        ).exists()
        # Tasks: some done, some open and overdue, as on a real caseload.
        assert Task.objects.filter(completed_at__isnull=False).exists()
        assert Task.objects.filter(completed_at__isnull=True, due_at__lt=timezone.now()).exists()

    @pytest.mark.django_db
    def test_a_demo_person_is_found_by_phone_through_the_blind_index(self, two_agencies):
        riverside, _ = two_agencies
        point = (
            ContactPoint.objects.filter(agency=riverside, kind=ContactKind.PHONE)
            .select_related("person")
            .first()
        )
        assert re.fullmatch(r"\+1\d{3}55501\d\d", point.value)
        assert point.value_index == contact_value_index(ContactKind.PHONE, point.value)
        advocate = Membership.objects.get(agency=riverside, user__username="advocate")
        national = f"({point.value[2:5]}) {point.value[5:8]}-{point.value[8:]}"
        found = people_matching(Actor.for_membership(advocate), phone=national)
        assert point.person in found
        person = Person.objects.filter(agency=riverside, date_of_birth__isnull=False).first()
        assert person.name_dob_index == name_dob_index(
            person.first_name, person.last_name, person.date_of_birth
        )

    @pytest.mark.django_db
    def test_the_audit_chains_stay_intact_with_one_load_event_per_agency(self, two_agencies):
        for agency in two_agencies:
            loads = AuditEvent.objects.filter(agency_id=agency.pk, action=AuditAction.DATA_LOAD)
            assert loads.count() == 1
            assert loads.get().details["cases"] == 40
            assert loads.get().actor_label == "manage.py demo"
            checked, broken = verify_chain(str(agency.pk))
            assert broken is None
            assert checked >= 1

    @pytest.mark.django_db
    def test_the_second_agency_never_points_at_the_first_agencys_rows(self, two_agencies):
        riverside, second = two_agencies
        cases = Case.objects.filter(agency=second)
        assert not cases.exclude(primary_victim__agency=second).exists()
        assert not cases.filter(district__isnull=False).exclude(district__agency=second).exists()
        assert (
            not cases.filter(assigned_to__isnull=False).exclude(assigned_to__agency=second).exists()
        )
        assert (
            not cases.filter(created_by__isnull=False).exclude(created_by__agency=second).exists()
        )
        for model in (CaseVictimization, CasePerson, Assignment, Contact, Note, Task, CaseEvent):
            rows = model.objects.filter(agency=second)
            assert rows.exists() or model is CasePerson
            assert not rows.exclude(case__agency=second).exists(), model.__name__
        assert not CasePerson.objects.filter(agency=second).exclude(person__agency=second).exists()
        assert (
            not ContactPoint.objects.filter(agency=second).exclude(person__agency=second).exists()
        )
        events = CaseEvent.objects.filter(agency=second)
        assert not events.filter(actor__isnull=False).exclude(actor__agency=second).exists()
        assert not events.filter(contact__isnull=False).exclude(contact__agency=second).exists()
        assert not events.filter(note__isnull=False).exclude(note__agency=second).exists()
        assert not events.filter(task__isnull=False).exclude(task__agency=second).exists()
        first_members = Membership.objects.filter(agency=riverside).values("pk")
        assert not Contact.objects.filter(agency=second, logged_by__in=first_members).exists()
        assert not Task.objects.filter(agency=second, assignee__in=first_members).exists()

    @pytest.mark.django_db
    def test_services_go_to_people_served_at_completed_contacts_and_surveys_to_closed_cases(
        self, two_agencies
    ):
        from haven.assistance.models import ServiceProvided
        from haven.reports.models import SurveyResponse
        from haven.reports.pmt import Quarter, pmt_report

        riverside, _second = two_agencies
        services = ServiceProvided.objects.filter(agency=riverside)
        assert services.exists()
        for service in services.select_related("case"):
            served = {service.case.primary_victim_id} | set(
                service.case.related_people.values_list("person_id", flat=True)
            )
            assert service.person_id in served
            assert service.category == service.sub_service[0]
            assert service.provided_at >= service.case.received_at
        closed = Case.objects.filter(agency=riverside, status="closed").count()
        assert SurveyResponse.objects.filter(agency=riverside).count() <= closed
        # The PMT report runs over it and adds up.
        actor = Actor.system(riverside, "test")
        # The quarter of the latest service in the agency's own time, as the report counts it
        # (on New Year's Eve evening in Chicago, UTC is already in the next quarter).
        latest = services.latest("provided_at").provided_at.astimezone(riverside.tz).date()
        report = pmt_report(actor, Quarter.containing(latest))
        assert report.individuals >= report.new_individuals > 0


@pytest.mark.django_db
def test_demo_rows_pass_model_validation(db):
    load(agencies=1, cases=25)
    for model in (Person, ContactPoint, Case, CaseVictimization, Contact, Note, Task):
        for row in model.objects.all():
            row.full_clean(exclude=["name_dob_index"] if model is Person else None)


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_data(db):
    now = timezone.now()

    def snapshot(seed: int) -> list[tuple]:
        with transaction.atomic():
            build_demo(agencies=1, cases=20, seed=seed, now=now)
            rows = list(
                Case.objects.order_by("number").values_list(
                    "number",
                    "status",
                    "received_at",
                    "primary_victim__last_name",
                    "report_number",
                )
            )
            transaction.set_rollback(True)
        return rows

    first = snapshot(7)
    assert snapshot(7) == first
    assert snapshot(8) != first


@pytest.mark.django_db
def test_demo_signins_prints_the_address_and_the_sign_ins(db):
    out = io.StringIO()
    call_command("demo_signins", host="127.0.0.1", port="8000", stdout=out)
    assert "Haven is running at http://127.0.0.1:8000/" in out.getvalue()
    assert DEMO_PASSWORD not in out.getvalue()

    load(agencies=1, cases=5)
    out = io.StringIO()
    call_command("demo_signins", host="localhost", port="9000", stdout=out)
    text = out.getvalue()
    assert "Haven is running at http://localhost:9000/" in text
    for username, _ in SIGN_INS:
        assert re.search(rf"^\s+{username}\s+\w+\s+{DEMO_PASSWORD}$", text, re.MULTILINE)


@pytest.mark.django_db
def test_demo_signins_ends_with_where_mail_goes_and_the_address(settings, tmp_path):
    load(agencies=1, cases=5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.SITE_URL = "http://haven.local:8080"
    out = io.StringIO()

    call_command("demo_signins", host="0.0.0.0", port="8080", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "Haven is running at http://haven.local:8080/"
    assert (
        lines[-2]
        == f"Mail is written to files in {tmp_path / 'mail'}/ (set HAVEN_SMTP_HOST to send it)."
    )
    assert any(re.match(rf"^\s+advocate\s+\w+\s+{DEMO_PASSWORD}$", line) for line in lines)


def test_demo_signins_waits_for_haven_to_be_healthy_and_says_what_is_not(live_server, settings):
    from haven.ops.services import worker_heartbeat_record

    host, port = live_server.url.removeprefix("http://").split(":")
    out = io.StringIO()
    call_command("demo_signins", host=host, port=port, wait=1.5, stdout=out)
    text = out.getvalue()
    assert "Haven is not fully up yet: worker: no heartbeat yet" in text
    assert text.strip().splitlines()[-2] == f"Haven is running at http://{host}:{port}/"

    worker_heartbeat_record()
    out = io.StringIO()
    call_command("demo_signins", host=host, port=port, wait=30, stdout=out)
    assert "not fully up" not in out.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == "Press Ctrl-C to stop it."
