"""The consent gate: a release covers a disclosure only when it is the same person's, in force
at this instant, names that recipient, and includes the purpose and every category."""

import pytest

from haven.audit.models import AuditAction
from haven.consent.gate import ConsentRefused, Disclosure, consent_in_force, consent_require
from haven.consent.models import RevocationMethod
from haven.consent.services import release_revoke

from .conftest import age_back


def _disclosure(cast, shelter, **overrides):
    fields = {
        "person": cast.case_a.primary_victim,
        "recipient_organization": shelter,
        "purpose": "referral",
        "categories": {"identity", "contact"},
        "channel": "referral",
        "case": cast.case_a,
    }
    fields.update(overrides)
    return Disclosure(**fields)


def test_a_release_in_force_covers_the_disclosure_and_nothing_is_audited(
    cast, alice, shelter, record, new_audit_events
):
    release = record()
    before = len(new_audit_events(action=AuditAction.CONSENT_REFUSED))
    assert consent_require(actor=alice, disclosure=_disclosure(cast, shelter)) == release
    assert consent_in_force(actor=alice, disclosure=_disclosure(cast, shelter)) == release
    assert len(new_audit_events(action=AuditAction.CONSENT_REFUSED)) == before


def test_a_subset_of_the_categories_is_covered(cast, alice, shelter, record):
    release = record(categories=["identity", "contact", "location"])
    found = consent_require(
        actor=alice, disclosure=_disclosure(cast, shelter, categories={"identity"})
    )
    assert found == release


def test_no_release_is_refused_with_a_plain_reason_and_audited(
    cast, alice, shelter, new_audit_events
):
    with pytest.raises(ConsentRefused) as refused:
        consent_require(actor=alice, disclosure=_disclosure(cast, shelter))
    assert refused.value.reason == (
        "No release of information from Dana Reyes covers Safe Harbor Shelter for referral "
        "(identity, contact)."
    )
    (event,) = new_audit_events(action=AuditAction.CONSENT_REFUSED)
    assert event.details["recipient"] == "Safe Harbor Shelter"
    assert event.details["purpose"] == "referral"
    assert event.details["categories"] == ["identity", "contact"]
    assert event.details["channel"] == "referral"
    assert event.details["why"] == refused.value.reason.replace(
        "Dana Reyes", f"person {cast.case_a.primary_victim_id}"
    )
    assert "Dana" not in event.reason
    assert event.object_id == str(cast.case_a.primary_victim_id)


def test_an_expired_release_is_refused_saying_when_it_expired(
    cast, alice, shelter, record, new_audit_events
):
    age_back(record(), days=2)
    with pytest.raises(ConsentRefused) as refused:
        consent_require(actor=alice, disclosure=_disclosure(cast, shelter))
    assert "expired on" in refused.value.reason
    assert consent_in_force(actor=alice, disclosure=_disclosure(cast, shelter)) is None
    assert len(new_audit_events(action=AuditAction.CONSENT_REFUSED)) == 1


def test_a_revoked_release_stops_covering_at_once(cast, alice, shelter, record):
    release = record()
    release_revoke(
        actor=alice, release=release, method=RevocationMethod.VERBAL, reason="Asked to stop"
    )
    with pytest.raises(ConsentRefused) as refused:
        consent_require(actor=alice, disclosure=_disclosure(cast, shelter))
    assert "was revoked on" in refused.value.reason


def test_another_recipient_is_not_covered(cast, alice, shelter, legal_aid, record):
    record()
    with pytest.raises(ConsentRefused) as refused:
        consent_require(
            actor=alice, disclosure=_disclosure(cast, shelter, recipient_organization=legal_aid)
        )
    assert "covers Prairie Legal Aid" in refused.value.reason


def test_another_purpose_is_not_covered(cast, alice, shelter, record):
    record()
    with pytest.raises(ConsentRefused):
        consent_require(
            actor=alice, disclosure=_disclosure(cast, shelter, purpose="legal_advocacy")
        )


def test_a_missing_category_is_named(cast, alice, shelter, record):
    record()
    with pytest.raises(ConsentRefused) as refused:
        consent_require(
            actor=alice,
            disclosure=_disclosure(cast, shelter, categories={"identity", "location"}),
        )
    assert "does not include location" in refused.value.reason


def test_a_named_recipient_must_match_exactly(cast, alice, shelter, record):
    name = "Cook County State's Attorney, Victim Witness Unit"
    release = record(recipient_name=name)
    assert (
        consent_require(
            actor=alice,
            disclosure=_disclosure(
                cast, shelter, recipient_organization=None, recipient_name=name.upper()
            ),
        )
        == release
    )
    with pytest.raises(ConsentRefused):
        consent_require(
            actor=alice,
            disclosure=_disclosure(
                cast, shelter, recipient_organization=None, recipient_name="Cook County SAO"
            ),
        )
    # A release to a named recipient never covers a directory organization, nor the reverse.
    with pytest.raises(ConsentRefused):
        consent_require(actor=alice, disclosure=_disclosure(cast, shelter))


def test_another_persons_release_never_covers(cast, alice, shelter, record):
    from haven.people.services import person_create

    record()
    other = person_create(actor=alice, first_name="Ola", last_name="Other")
    with pytest.raises(ConsentRefused):
        consent_require(actor=alice, disclosure=_disclosure(cast, shelter, person=other))


def test_another_agency_never_uses_a_release(cast, charlie, shelter, record):
    record()
    assert consent_in_force(actor=charlie, disclosure=_disclosure(cast, shelter)) is None


def test_a_disclosure_must_name_its_recipient_purpose_and_categories(cast, shelter):
    with pytest.raises(ValueError):
        _disclosure(cast, shelter, recipient_organization=None)
    with pytest.raises(ValueError):
        _disclosure(cast, shelter, purpose="marketing")
    with pytest.raises(ValueError):
        _disclosure(cast, shelter, categories=set())
    with pytest.raises(ValueError):
        _disclosure(cast, shelter, categories={"shoe_size"})
