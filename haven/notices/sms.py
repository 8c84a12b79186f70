"""Sending a text message through a provider, chosen by the HAVEN_SMS_PROVIDER setting.

- "console" (the default): prints the text to the worker's log; nothing leaves the machine.
- "file": appends one JSON line per text to HAVEN_SMS_FILE (for demos and tests).
- "twilio": Twilio's Messages REST API over HTTPS with urllib (HAVEN_TWILIO_ACCOUNT_SID,
  HAVEN_TWILIO_AUTH_TOKEN, HAVEN_SMS_FROM; HAVEN_TWILIO_API_BASE only for tests).

A provider returns its id for the message or raises SmsError; `permanent` says whether a
retry could help (a bad number will not get better; a 5xx or a timeout may).
"""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class ConsoleProvider:
    name = "console"

    def send(self, *, to: str, body: str, sender: str) -> str:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.warning("SMS %s from %s: %d characters", provider_id, sender or "-", len(body))
        return provider_id


class FileProvider:
    name = "file"

    def __init__(self, path: str):
        if not path:
            raise SmsError("HAVEN_SMS_FILE is not set for the file SMS provider.", permanent=True)
        self.path = Path(path)

    def send(self, *, to: str, body: str, sender: str) -> str:
        provider_id = f"file-{uuid.uuid4().hex[:12]}"
        line = json.dumps({"id": provider_id, "to": to, "from": sender, "body": body})
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return provider_id


class TwilioProvider:
    """POST /2010-04-01/Accounts/{sid}/Messages.json with To, From and Body, basic auth."""

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        api_base: str,
        status_callback: str = "",
        timeout: float = 15,
    ):
        if not account_sid or not auth_token:
            raise SmsError("Twilio account SID and auth token are not configured.", permanent=True)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_base = api_base.rstrip("/")
        self.status_callback = status_callback
        self.timeout = timeout

    def send(self, *, to: str, body: str, sender: str) -> str:
        if not sender:
            raise SmsError("No SMS sender number is configured.", permanent=True)
        url = f"{self.api_base}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        form = {"To": to, "From": sender, "Body": body}
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        data = urllib.parse.urlencode(form).encode()
        auth = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if not url.startswith(("https://", "http://")):
            raise SmsError("HAVEN_TWILIO_API_BASE must be an http(s) address.", permanent=True)
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {auth}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read().decode() or "{}")
            except ValueError:
                detail = {}
            message = detail.get("message") or exc.reason
            # 4xx (a bad number, an unverified sender) will not get better; 429 and 5xx may.
            permanent = 400 <= exc.code < 500 and exc.code != 429
            raise SmsError(f"Twilio {exc.code}: {message}", permanent=permanent) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"Twilio unreachable: {exc}") from None
        except ValueError:
            raise SmsError("Twilio answered with something that is not JSON.") from None
        sid = payload.get("sid")
        if not sid:
            raise SmsError("Twilio answered without a message sid.")
        return sid


def get_provider():
    name = getattr(settings, "HAVEN_SMS_PROVIDER", "console") or "console"
    if name == "console":
        return ConsoleProvider()
    if name == "file":
        return FileProvider(getattr(settings, "HAVEN_SMS_FILE", ""))
    if name == "twilio":
        return TwilioProvider(
            account_sid=getattr(settings, "HAVEN_TWILIO_ACCOUNT_SID", "") or "",
            auth_token=getattr(settings, "HAVEN_TWILIO_AUTH_TOKEN", "") or "",
            api_base=getattr(settings, "HAVEN_TWILIO_API_BASE", "https://api.twilio.com"),
            status_callback=twilio_callback_url(),
        )
    raise SmsError(f"Unknown SMS provider {name!r}.", permanent=True)


def twilio_callback_url() -> str:
    """Where Twilio reports delivery (needs HAVEN_SITE_URL; without it, texts stay "sent")."""
    from django.urls import reverse

    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    path = reverse("notices:sms_status", kwargs={"provider": "twilio"})
    return f"{site}{path}" if site else ""


def twilio_signature(url: str, params: dict, auth_token: str) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by every POST
    parameter's name and value, sorted by name."""
    import hashlib
    import hmac

    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
