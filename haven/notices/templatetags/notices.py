"""The case page's messages section, loaded here so the cases app's view needs no change:
`{% case_messages case request.actor %}` (in notices/_case_section.html)."""

from django import template
from django.conf import settings

from haven.agencies.roles import Perm
from haven.cases.models import CasePerson
from haven.notices.forms import SendForm
from haven.notices.models import (
    AUTOMATIC_CHANNELS,
    CANCELLABLE,
    Channel,
    MessageStatus,
    ProviderStatus,
)
from haven.notices.selectors import messages_on_case, opt_outs_of
from haven.notices.webhook_views import SMS_PROVIDERS

register = template.Library()


def case_people(case):
    people = [case.primary_victim]
    for link in CasePerson.objects.filter(case=case).select_related("person"):
        if link.person_id != case.primary_victim_id and link.is_served:
            people.append(link.person)
    return people


@register.inclusion_tag("notices/_section.html")
def case_messages(case, actor):
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    messages = list(messages_on_case(actor, case)[:50])
    can_work = actor.has(Perm.CASE_WORK)
    reports_delivery = settings.HAVEN_SMS_PROVIDER in SMS_PROVIDERS
    for message in messages:
        # A held message: its review on Messages to handle shows every copy (held.py).
        message.held = can_work and message.status == MessageStatus.HELD
        message.can_cancel = can_work and message.status in CANCELLABLE
        message.can_retry = (
            can_work
            and message.channel in AUTOMATIC_CHANNELS
            and message.status in (MessageStatus.FAILED, MessageStatus.UNCERTAIN)
        )
        message.can_done = can_work and message.status == MessageStatus.READY
        message.can_release = can_work and message.status == MessageStatus.HELD
        # What the provider last said (a status callback or a bounce) and when.
        message.provider_label = (
            ProviderStatus(message.provider_status).label
            if message.provider_status in ProviderStatus.values
            else ""
        )
        message.awaiting_report = (
            message.status == MessageStatus.SENT
            and message.channel == Channel.SMS
            and reports_delivery
        )
    people = case_people(case)
    return {
        "case": case,
        "messages": messages,
        "can_work": can_work,
        "form": SendForm(people=people),
        "opt_outs": [(p, opt_outs_of(p)) for p in people],
    }


@register.inclusion_tag("notices/_person_opt_outs.html")
def person_opt_outs(person):
    """On the person's page, under the ways to reach them: the messages they asked to stop.
    The page itself is reached only through people.access, so this adds no reader."""
    return {"opt_outs": opt_outs_of(person)}
