"""get_FOO_display() on tenant models: labels remembered per field and language."""

from django.utils import translation

from haven.cases.models import Contact


def _completed_value():
    return next(
        v for v, label in Contact._meta.get_field("outcome").choices if label == "Completed"
    )


def test_the_label_follows_the_active_language():
    contact = Contact(outcome=_completed_value())
    with translation.override("en"):
        assert contact.get_outcome_display() == "Completed"
    with translation.override("es"):
        assert contact.get_outcome_display() == "Completado"
    with translation.override("en"):
        assert contact.get_outcome_display() == "Completed"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Contact(outcome="no-such-outcome").get_outcome_display() == "no-such-outcome"
    assert Contact(outcome=None).get_outcome_display() is None
