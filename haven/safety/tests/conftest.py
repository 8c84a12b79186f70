"""Shortcuts for the safety plan tests: the cast's members as actors, the audit events written
since the cast was built, and `revise(actor, **sections)` to write a revision of the victim's
plan. The served sister and the unserved witness on Alice's case are the root conftest's."""

import pytest

from haven.safety.services import safety_plan_revise

# Roles that may read no case record, so never a safety plan.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]

# Words that must never leave the encrypted columns: in the plan, the note, or both.
SECRET_PLACE = "Rosa's house on Elm Street"
CODE_WORD = "pineapple"


@pytest.fixture
def revise(cast):
    """revise(actor, case=..., person=..., language="en", note="", **sections): a revision of
    the plan of the person (Alice's victim unless given) through the case (Alice's)."""

    def write(actor, *, case=None, person=None, language="en", note="", based_on=None, **text):
        case = case or cast.case_a
        return safety_plan_revise(
            actor=actor,
            case=case,
            person=person or case.primary_victim,
            sections=text,
            language=language,
            note=note,
            based_on=based_on,
        )

    return write
