"""What the operator sees: the agencies and their counts, never a victim's data."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from haven.agencies.models import Agency, Membership
from haven.cases.models import OPEN_STATUSES, Case
from haven.core.scoping import all_agencies


def _count(qs) -> Coalesce:
    sub = qs.filter(agency=OuterRef("pk")).order_by().values("agency").annotate(n=Count("pk"))
    return Coalesce(Subquery(sub.values("n"), output_field=IntegerField()), Value(0))


def _with_counts():
    return Agency.objects.annotate(
        members=_count(Membership.objects.filter(is_active=True)),
        open_cases=_count(Case.objects.filter(status__in=OPEN_STATUSES)),
        all_cases=_count(Case.objects.all()),
    ).order_by("name")


def agencies_with_counts() -> list[Agency]:
    """Every agency with its active members, its open cases and all its cases: one query."""
    with all_agencies():
        return list(_with_counts())


def access_agency(agency_id) -> Agency:
    """One agency with its counts (the operator's pages only); 404 for a missing id."""
    with all_agencies():
        try:
            return _with_counts().get(pk=int(agency_id))
        except (Agency.DoesNotExist, ValueError, TypeError):
            raise Http404("No such agency.") from None
