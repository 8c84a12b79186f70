"""Single sign-on on other apps' pages: the re-confirmation page's "through your provider"."""

from django import template

from haven.sso.selectors import enabled_provider

register = template.Library()


@register.inclusion_tag("sso/_reconfirm_link.html", takes_context=True)
def sso_reconfirm_link(context, next_url=""):
    actor = context.get("actor")
    provider = enabled_provider(actor.agency.slug) if actor is not None else None
    return {"provider": provider, "next": next_url}
