"""Reads of safety plans: whom a case can hold a plan for, their plans' state, and a plan's
revisions. Content is read only through safety.access, which audits the read."""

from dataclasses import dataclass

from django.db.models import QuerySet

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import people_served
from haven.core.actor import Actor
from haven.people.models import Person
from haven.safety.models import SafetyPlan, SafetyPlanRevision

plan_people = people_served  # whom the case can hold a safety plan for


def person_on_case(case: Case, person_id: int) -> Person | None:
    """The person, if the case can hold a plan for them (see plan_people); else None."""
    for person, _relation in plan_people(case):
        if person.pk == person_id:
            return person
    return None


def plan_of(actor: Actor, person: Person) -> SafetyPlan | None:
    """The person's plan in the actor's agency, with who last revised it; None before the
    first revision."""
    return (
        SafetyPlan.objects.filter(agency=actor.agency, person=person)
        .select_related("revised_by__user")
        .first()
    )


@dataclass(frozen=True)
class PlanState:
    """One line of the case page's section: a person and their plan's state, no content."""

    person: Person
    relation: str
    plan: SafetyPlan | None

    @property
    def written(self) -> bool:
        return self.plan is not None and self.plan.revision_count > 0


def plans_on_case(actor: Actor, case: Case) -> list[PlanState]:
    """For a case fetched through access_case: each person it can hold a plan for and their
    plan's state (revision number, when and by whom last revised). Two queries."""
    actor.require(Perm.CASE_VIEW)
    actor.require_own(case)
    people = plan_people(case)
    plans = {
        plan.person_id: plan
        for plan in SafetyPlan.objects.filter(
            agency=actor.agency, person__in=[person for person, _ in people]
        ).select_related("revised_by__user")
    }
    return [PlanState(person, relation, plans.get(person.pk)) for person, relation in people]


def revisions_of(plan: SafetyPlan | None) -> QuerySet[SafetyPlanRevision]:
    """The plan's revisions, newest first, with their writers and cases loaded."""
    if plan is None:
        return SafetyPlanRevision.objects.none()
    return plan.revisions.select_related("created_by__user", "case").order_by("-number")
