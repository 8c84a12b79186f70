"""The case timeline lines of partner referrals, written inside the service's transaction.
`data` holds one summary line naming the partner and the step: never the message, the answer
or anything about the person."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
from haven.referrals.models import Referral


@stored_in_english()
def referral_line(actor: Actor | None, referral: Referral, step: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency_id=referral.agency_id,
        case_id=referral.case_id,
        kind=CaseEventKind.PARTNER_REFERRAL,
        at=timezone.now(),
        actor=actor.membership if actor else None,
        data={"summary": f"Partner referral to {referral.organization.name}: {step}"},
    )
