"""Fetching one API token for a coordinator: another agency's token and a missing id alike
answer 404."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.integrations.models import ApiToken


def access_api_token(actor: Actor, token_id: int) -> ApiToken:
    """The actor's agency's token. Refused (PermissionDenied) without agency.configure; 404 for
    a missing id and for another agency's token."""
    actor.require(Perm.AGENCY_CONFIGURE)
    token = ApiToken.objects.filter(agency=actor.agency, pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token
