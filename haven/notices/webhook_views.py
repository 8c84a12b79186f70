"""The providers' webhooks (issue 17, item 8). Public (no sign-in) and CSRF-exempt, because
the provider cannot sign in or carry a CSRF token; instead every request must carry the
provider's signature, checked before anything is read, and a missing or wrong one is 403.

- `/hooks/sms/<provider>/status/`: a text's delivery status (Twilio's StatusCallback).
- `/hooks/sms/<provider>/inbound/`: a text sent to the agency's number (Twilio's "A message
  comes in" webhook); answered with TwiML, an acknowledgement or a keyword's answer.
- `/hooks/email/bounce/`: bounces as JSON, signed with HAVEN_BOUNCE_WEBHOOK_SECRET.

Twilio's scheme (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the auth token, of the
full URL Twilio called followed by every POST parameter's name and value sorted by name. The
URL is rebuilt from HAVEN_SITE_URL, never from the request's Host header. The `twilio` package
is not a dependency; sms.twilio_signature implements the documented algorithm.
"""

import hashlib
import hmac
import json
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haven.notices import bounces, delivery, replies, sms

SMS_PROVIDERS = ("twilio",)


def _twilio_signed(request) -> bool:
    token = settings.HAVEN_TWILIO_AUTH_TOKEN
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    expected = sms.twilio_signature(url, request.POST.dict(), token)
    return hmac.compare_digest(given.encode(), expected.encode())


def _signed(request, provider: str):
    if provider not in SMS_PROVIDERS:
        raise Http404("No such provider.")
    if not _twilio_signed(request):
        raise PermissionDenied


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def sms_status(request, provider: str = "twilio"):
    """A delivery report: stored once, applied in order (delivery.py). Always 204 once signed,
    so the provider does not retry a report about a message Haven does not know."""
    _signed(request, provider)
    params = request.POST
    status = delivery.TWILIO_STATUSES.get(params.get("MessageStatus", ""))
    if status is not None:
        delivery.report_receive(
            source=provider,
            external_id=params.get("MessageSid", ""),
            status=status,
            error=params.get("ErrorCode", ""),
        )
    return _no_store(HttpResponse(status=204))


@csrf_exempt
@require_POST
def sms_inbound(request, provider: str):
    """A text to the agency's number: matched and landed (replies.py), answered in TwiML."""
    _signed(request, provider)
    params = request.POST
    received = replies.inbound_receive(
        provider=provider,
        external_id=params.get("MessageSid", "") or params.get("SmsSid", ""),
        sender=params.get("From", ""),
        to=params.get("To", ""),
        body=params.get("Body", ""),
    )
    inner = f"<Message>{escape(received.answer)}</Message>" if received.answer else ""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'
    return _no_store(HttpResponse(xml, content_type="text/xml; charset=utf-8"))


@csrf_exempt
@require_POST
def email_bounce(request):
    """Bounces as JSON: `{"bounces": [{"message_id": "<haven-notice-...>" or "return_path":
    "bounces+<token>@...", "type": "hard" | "soft", "reason": "550 5.1.1 ..."}]}` (or one such
    object alone), signed `X-Haven-Signature: sha256=<hex HMAC-SHA256 of the body>`. A soft
    bounce is only counted: the mail server is still trying."""
    secret = settings.HAVEN_BOUNCE_WEBHOOK_SECRET
    given = request.headers.get("X-Haven-Signature", "")
    if not secret or not given.startswith("sha256="):
        raise PermissionDenied
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given[7:].encode(), expected.encode()):
        raise PermissionDenied
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return _no_store(JsonResponse({"error": "not JSON"}, status=400))
    items = payload.get("bounces", [payload]) if isinstance(payload, dict) else payload
    counts = {"applied": 0, "ignored": 0}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            counts["ignored"] += 1
            continue
        message_id = bounces.message_id_from_token(
            str(item.get("return_path", ""))
        ) or bounces.message_id_in(str(item.get("message_id", "")))
        hard = str(item.get("type", "hard")).lower() != "soft"
        if message_id and hard:
            reason = str(item.get("reason", "") or "bounced")
            delivery.bounce_receive(message_id=message_id, reason=reason[:300])
            counts["applied"] += 1
        else:
            counts["ignored"] += 1
    return _no_store(JsonResponse(counts))
