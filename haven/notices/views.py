"""Staff pages for messages to victims, and the person's own opt-out page (no sign-in)."""

from functools import partial

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm, Role
from haven.cases.access import access_case
from haven.cases.panels import panel_url
from haven.core.actor import Actor
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.core.navigation import next_or
from haven.core.scoping import agency_scope, all_agencies
from haven.lib.tokens import token_digest
from haven.notices import automatic, held, investigation, replies, services, staff_alerts
from haven.notices.access import access_inbound_text, access_message
from haven.notices.forms import AutomaticForm, OptOutForm, SendForm, SettingsForm
from haven.notices.models import Channel, Message, OptOutChannel
from haven.notices.selectors import messages_needing_staff, texts_needing_staff
from haven.notices.templatetags.notices import case_people


def _back(message: Message) -> str:
    return panel_url(message.case_id, "messages")


def _message_action(request, message_id: int, service, done):
    """A button on a message (cancel, retry, done): the service, then back where it was.
    `done` is what to say, or makes it from the message."""
    message = access_message(request.actor, message_id, write=True)
    perform = partial(service, actor=request.actor, message=message)
    said = done(message) if callable(done) else done
    return action_view(request, perform, done=said, then=next_or(request, _back(message)))


@require_POST
@staff_view(Perm.CASE_WORK)
def message_cancel(request, message_id: int):
    return _message_action(request, message_id, services.message_cancel, "Message cancelled.")


@require_POST
@staff_view(Perm.CASE_WORK)
def message_retry(request, message_id: int):
    return _message_action(request, message_id, services.message_retry, "Message queued again.")


@require_POST
@staff_view(Perm.CASE_WORK)
def message_release(request, message_id: int):
    """Send a message held for the specialist's review."""
    return _message_action(
        request, message_id, investigation.message_release, "Message sent for delivery."
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def message_done(request, message_id: int):
    return _message_action(request, message_id, services.message_mark_done, _done_text)


def _done_text(message: Message) -> str:
    return "Letter marked as mailed." if message.channel == Channel.LETTER else "Call logged."


@staff_view(Perm.CASE_WORK)
def message_letter(request, message_id: int):
    message = access_message(request.actor, message_id, write=True)
    try:
        data = services.letter_pdf(actor=request.actor, message=message)
    except ValidationError:
        raise Http404("No letter.") from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{message.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_view(Perm.CASE_WORK)
def message_send(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    people = case_people(case)
    send = partial(services.message_send_staff, actor=request.actor, case=case)

    def perform(d):
        person = next(p for p in people if p.pk == d["person"])
        return send(person=person, subject=d["subject"], body=d["body"])

    def done(made):
        channels = ", ".join(m.get_channel_display().lower() for m in made) or "nothing"
        return f"Message queued ({channels})."

    return form_view(
        request,
        SendForm(request.POST, people=people),
        perform,
        done=done,
        then=panel_url(case.pk, "messages"),
        invalid="Write the message and choose who it goes to.",
    )


@require_POST
@staff_view(Perm.PERSON_EDIT)
def opt_out_staff(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    people = {p.pk: p for p in case_people(case)}
    form = OptOutForm(request.POST)
    if not form.is_valid() or form.cleaned_data["person"] not in people:
        flash.error(request, "Choose a channel.")
    else:
        person = people[form.cleaned_data["person"]]
        channel = form.cleaned_data["channel"]
        if form.cleaned_data["action"] == "out":
            services.opt_out_record(actor=request.actor, person=person, channel=channel)
            flash.success(request, f"{person.full_name} opted out: {channel}.")
        else:
            services.opt_in_record(actor=request.actor, person=person, channel=channel)
            flash.success(request, f"{person.full_name} opted back in: {channel}.")
    return redirect(panel_url(case.pk, "messages"))


@require_POST
@staff_view(Perm.CASE_WORK)
def held_send(request, message_id: int):
    return _message_action(
        request, message_id, held.held_send, "Message released: it goes out now."
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def held_discard(request, message_id: int):
    return _message_action(request, message_id, held.held_discard, "Message discarded.")


@require_POST
@staff_view(Perm.CASE_WORK)
def text_handled(request, text_id: int):
    """A text to the agency's number was read and acted on: it leaves the list."""
    text = access_inbound_text(request.actor, text_id)
    perform = partial(replies.inbound_mark_handled, actor=request.actor, text=text)
    return action_view(request, perform, done="Text marked handled.", then="notices:list")


@require_POST
@staff_view(Perm.CASE_WORK)
def text_to_case(request, text_id: int):
    """Triage: put a text from a number on several cases on the case it is about."""
    text = access_inbound_text(request.actor, text_id)
    case = access_case(request.actor, request.POST.get("case"), write=True)
    perform = partial(replies.inbound_assign_case, actor=request.actor, text=text, case=case)
    return action_view(
        request, perform, done=f"Text put on case {case.number}.", then="notices:list"
    )


@staff_view(Perm.CASE_VIEW)
def message_list(request):
    """Held automatic messages to review, failed and uncertain messages, letters to print and
    calls to make; for supervisors and coordinators, alerts to staff or partners that failed."""
    page = messages_needing_staff(request.actor)
    page |= texts_needing_staff(request.actor, takes_queue=replies.takes_queue(request.actor))
    page["held"] = held.held_for(request.actor) if request.actor.has(Perm.CASE_WORK) else []
    if request.actor.role in (Role.SUPERVISOR, Role.COORDINATOR):
        page["failed_alerts"] = staff_alerts.failed_alerts(request.actor.agency)
    return render(request, "notices/message_list.html", page)


@staff_view(Perm.AGENCY_CONFIGURE)
def automatic_settings(request):
    """Per victimization type, each automatic message: send, hold for review, or off."""
    form = AutomaticForm(
        request.POST or None,
        table=automatic.rules_table(request.actor.agency),
        types=automatic.victimization_types(),
    )
    return form_view(
        request,
        form,
        lambda d: automatic.automatic_rules_update(actor=request.actor, modes=form.modes()),
        done=lambda n: f"Automatic messages saved ({n} change{'s' if n != 1 else ''}).",
        then="notices:automatic",
        page=Page("notices/automatic.html"),
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def notice_settings(request):
    current = services.notice_settings(request.actor.agency)
    form = SettingsForm(
        request.POST or None, instance=current, initial={"version": current.version}
    )

    def save(d):
        current.refresh_from_db()  # the form wrote into the instance; compare to the stored row
        fields = {name: d[name] for name in SettingsForm.Meta.fields}
        return services.notice_settings_update(actor=request.actor, version=d["version"], **fields)

    return form_view(
        request,
        form,
        save,
        done="Notice settings saved.",
        then="notices:settings",
        page=Page("notices/settings.html"),
    )


# ------------------------------------------------------------------ the person's own page

OPT_OUT_TEXT = {
    "en": {
        "title": "Your messages",
        "lead": "You can stop these messages. It takes effect at once.",
        "this": "Stop messages by {channel}",
        "all": "Stop all messages",
        "done": "Done. You will not get these messages any more. To start them again, "
        "call your victim specialist.",
        "email": "email",
        "sms": "text message",
    },
    "es": {
        "title": "Sus mensajes",
        "lead": "Puede dejar de recibir estos mensajes. El cambio es inmediato.",
        "this": "Dejar de recibir mensajes por {channel}",
        "all": "Dejar de recibir todos los mensajes",
        "done": "Listo. Ya no recibirá estos mensajes. Para volver a recibirlos, llame a su "
        "especialista de atención a víctimas.",
        "email": "correo electrónico",
        "sms": "mensaje de texto",
    },
    "pl": {
        "title": "Twoje wiadomości",
        "lead": "Możesz zrezygnować z tych wiadomości. Zmiana działa od razu.",
        "this": "Nie wysyłaj wiadomości przez: {channel}",
        "all": "Nie wysyłaj żadnych wiadomości",
        "done": "Gotowe. Nie będziesz już otrzymywać tych wiadomości. Aby je przywrócić, "
        "zadzwoń do opiekuna ds. pomocy ofiarom.",
        "email": "e-mail",
        "sms": "SMS",
    },
    "zh": {
        "title": "您的消息",
        "lead": "您可以停止接收这些消息，立即生效。",
        "this": "停止通过{channel}接收消息",
        "all": "停止接收所有消息",
        "done": "已完成。您将不再收到这些消息。如需恢复，请致电您的受害人服务专员。",
        "email": "电子邮件",
        "sms": "短信",
    },
    "ar": {
        "title": "رسائلك",
        "lead": "يمكنك إيقاف هذه الرسائل، ويسري ذلك فورًا.",
        "this": "إيقاف الرسائل عبر {channel}",
        "all": "إيقاف جميع الرسائل",
        "done": "تم. لن تصلك هذه الرسائل بعد الآن. لإعادة تشغيلها، اتصل بأخصائي دعم الضحايا.",
        "email": "البريد الإلكتروني",
        "sms": "الرسائل النصية",
    },
}


def opt_out(request, token: str):
    """/n/<token>/: the link in every email and text. No sign-in: the token is the key, and it
    only ever stops messages (it never shows who the person is or what the case is)."""
    with all_agencies():
        agency_id = (
            Message.objects.filter(opt_out_digest=token_digest(token))
            .values_list("agency_id", flat=True)
            .first()
        )
    if agency_id is None:
        raise Http404("No such link.")
    with agency_scope(agency_id):
        message = Message.objects.select_related("agency", "person").get(
            opt_out_digest=token_digest(token)
        )
        language = message.language if message.language in OPT_OUT_TEXT else "en"
        text = OPT_OUT_TEXT[language]
        channel_word = text.get(message.channel, message.channel)
        done = False
        if request.method == "POST":
            choice = request.POST.get("stop")
            channel = OptOutChannel.ALL if choice == "all" else message.channel
            if channel not in OptOutChannel.values:
                raise PermissionDenied
            services.opt_out_record(
                actor=Actor.system(message.agency, "opt-out link"),
                person=message.person,
                channel=channel,
                via="link",
            )
            done = True
        response = render(
            request,
            "notices/opt_out.html",
            {
                "text": text,
                "this_label": text["this"].format(channel=channel_word),
                "done": done,
                "language": language,
                "rtl": language == "ar",
                "can_stop_channel": message.channel in (Channel.EMAIL, Channel.SMS),
                "quick_exit_url": message.agency.quick_exit_url,
            },
        )
    # same-origin, not no-referrer: the token never leaves the site, and the form's POST
    # carries a real Origin (under no-referrer Chromium sends `Origin: null`: CSRF 403).
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
