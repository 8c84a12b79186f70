"""`manage.py demo --agencies 3` gives each agency volunteers, six months of activities and
case reviews under releases; the statewide view then shows the three agencies' totals."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from haven.agencies.models import Agency
from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.scoping import all_agencies
from haven.demo.builder import build_demo
from haven.lib.quarters import Quarter
from haven.platform.statewide import statewide
from haven.program.models import Activity, ActivityKind, VolunteerHours, VolunteerProfile


def test_three_demo_agencies_have_a_program_and_statewide_totals(db):
    build_demo(agencies=3, cases=12, seed=2026)
    with all_agencies():
        agencies = list(Agency.objects.order_by("name"))
        assert len(agencies) == 3
        for agency in agencies:
            kinds = set(Activity.objects.filter(agency=agency).values_list("kind", flat=True))
            assert kinds == set(ActivityKind.values), agency
            assert VolunteerProfile.objects.filter(agency=agency).count() == 2
            assert VolunteerHours.objects.filter(agency=agency, case__isnull=False).exists()
        reviewed = Activity.objects.filter(kind=ActivityKind.CASE_REVIEW).exclude(cases=None)
        assert reviewed.exists()
        review = reviewed.first()
        assert (
            CaseEvent.objects.filter(kind=CaseEventKind.CASE_REVIEW, data__activity=review.pk)
            .values("case")
            .distinct()
            .count()
            == review.cases.count()
        )
        last_quarter = Quarter.containing(Activity.objects.latest("held_on").held_on).previous
        hours = sum(
            VolunteerHours.objects.filter(
                worked_on__gte=last_quarter.start, worked_on__lte=last_quarter.end
            ).values_list("hours", flat=True),
            Decimal(0),
        )
    operator = get_user_model().objects.create_user(username="state", is_staff=True)
    result = statewide(operator=operator, quarter=last_quarter)
    assert result.agencies == [a.name for a in agencies]
    rows = {row.figure.key: row for row in result.rows}
    assert rows["volunteer_hours"].total == f"{hours:,.2f}"
    assert all(cell != "0" for cell in rows["activities"].cells)
