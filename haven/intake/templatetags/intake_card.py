"""The case page's "Officer's card by text" box: `{% case_card_text case request.actor %}`
(in intake/_case_card_text.html, included by the case page), so the cases app imports nothing.
Shown only to staff who work an open case whose victim has a phone marked OK to text."""

from django import template

from haven.agencies.roles import Perm
from haven.intake.card_text import card_text_sent, safe_phone, scene_consent
from haven.intake.scene_referral import Consent

register = template.Library()


@register.inclusion_tag("intake/_case_card_text_box.html", takes_context=True)
def case_card_text(context, case, actor, points=None):
    """`points`: the victim's contact points the case page already read (no query of its own
    when none is safe to text)."""
    person = case.primary_victim
    if not actor.has(Perm.CASE_WORK) or not case.is_open or person is None:
        return {"hidden": True}
    phone = safe_phone(person, points)
    if phone is None:
        return {"hidden": True}
    digits = "".join(c for c in phone.value if c.isdigit())
    sent = card_text_sent(case)
    return {
        "case": case,
        "phone_ending": digits[-4:],
        "sent": sent,
        # Only the send form asks (a query on a case from a scene referral); once sent, no form.
        "consent_recorded": not sent and scene_consent(case) == Consent.YES,
        "csrf_token": context.get("csrf_token"),
    }
