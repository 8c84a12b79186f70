"""The PMT service reference (haven/reference/pmt.json) as the assistance app reads it."""

from haven.assistance import catalog
from haven.assistance.forms import ServiceForm


def test_the_reference_has_the_five_pmt_categories_in_order_with_every_sub_service():
    categories = catalog.categories()

    assert [c.code for c in categories] == ["A", "B", "C", "D", "E"]
    assert [len(c.sub_services) for c in categories] == [4, 10, 7, 3, 11]
    codes = [s.code for c in categories for s in c.sub_services]
    assert len(codes) == len(set(codes)) == 35
    assert all(
        s.code.startswith(c.code) and s.category == c.code
        for c in categories
        for s in c.sub_services
    )
    assert catalog.sub_service("E10").label == "Criminal advocacy/accompaniment"
    assert catalog.summary("C1") == (
        "Emotional support or safety services: "
        "Crisis intervention (in-person, includes safety planning, etc.)"
    )


def test_an_unknown_code_finds_nothing():
    assert catalog.sub_service("Z9") is None
    assert catalog.category("F") is None
    assert catalog.summary("Z9") == "Z9"


def test_every_one_tap_button_is_a_known_sub_service():
    for code, short in catalog.QUICK:
        assert catalog.sub_service(code) is not None, code
        assert len(short) <= 26, f"{short!r} is too long for a button on a phone"


def test_the_form_offers_every_sub_service_grouped_by_category():
    groups = ServiceForm().fields["sub_service"].choices

    assert [group for group, _options in groups][0] == "A. Information & referral"
    offered = [code for _group, options in groups for code, _label in options]
    assert offered == [s.code for c in catalog.categories() for s in c.sub_services]
