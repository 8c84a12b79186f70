from django.http import Http404

from haven.core.actor import Actor
from haven.retention.models import DestructionCertificate, LegalHold, PurgeBatch


def _get(model, actor: Actor, pk):
    try:
        return model.objects.get(agency=actor.agency, pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("Not found.") from None


def access_batch(actor: Actor, batch_id) -> PurgeBatch:
    """A purge batch of the actor's agency; 404 for a missing or another agency's one (the
    view's decorator has checked the role)."""
    return _get(PurgeBatch, actor, batch_id)


def access_hold(actor: Actor, hold_id) -> LegalHold:
    return _get(LegalHold, actor, hold_id)


def access_certificate(actor: Actor, certificate_id) -> DestructionCertificate:
    return _get(DestructionCertificate, actor, certificate_id)
