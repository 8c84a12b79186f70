"""System checks for what notices send: links in messages need the site's real address."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    """`manage.py check --deploy`: HAVEN_SITE_URL unset means links in texts and emails point
    at http://127.0.0.1:8000, which no victim's phone can open."""
    if getattr(settings, "SITE_URL_SET", True):
        return []
    return [
        checks.Warning(
            "HAVEN_SITE_URL is not set: links in texts, emails and letters would point at "
            f"{settings.SITE_URL}.",
            hint="Set HAVEN_SITE_URL to the address people open Haven at (https://...).",
            id="haven.notices.W001",
        )
    ]
