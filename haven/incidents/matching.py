"""Is the victim on a report someone the agency already knows?

Certain matches are linked: the same name and birth date, or the same phone or email with a
name that agrees (or no name on the report). Everything less certain becomes a MatchCandidate
for a specialist to decide: the same name with a different or missing birth date, a similar
name, a shared phone under another name, or several people matching at once. Nothing is ever
merged by this module beyond setting IncidentPerson.person on a certain match.

Look-ups go through the people app's blind indexes and are done for a whole batch at once.
Names are encrypted at rest, so a similar name is found in two steps: the people whose last
name sounds like the report's (the same Soundex code, through `Person.sounds_like_index`) are
read and decrypted, then compared with rapidfuzz in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from rapidfuzz import fuzz

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents.models import LinkSource, PersonRole
from haven.lib.crypto import normalize_email, normalize_name
from haven.lib.phones import normalize_phone
from haven.lib.phonetic import soundex
from haven.people.indexes import name_dob_index, sounds_like_index
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index

# Names at least this alike (rapidfuzz token_sort_ratio of the normalized names, 0-100) are
# proposed for review when the birth dates do not contradict it.
SIMILAR_NAME = 85
# Below that, a name is still proposed when first and last names both sound alike (the same
# whole Soundex codes: "Jon Smyth" and "John Smith" score 84) and are at least this alike.
SOUNDS_ALIKE = 70
# A common name can be similar to many people: a reviewer sees the closest few.
MAX_PROPOSALS = 5


@dataclass
class Proposal:
    person_id: int
    score: int
    reasons: list[str]


@dataclass
class Outcome:
    linked: int = 0
    # (person on the report, proposals), written once that person has its id.
    proposals: list[tuple[object, list[Proposal]]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    found: set[int] = field(default_factory=set)


def _full(first: str, last: str) -> str:
    return f"{normalize_name(first)} {normalize_name(last)}".strip()


def _phone_index(raw: str) -> str:
    try:
        return contact_value_index(ContactKind.PHONE, normalize_phone(raw))
    except ValidationError:  # kept as exported: it cannot match anyone
        return ""


def match_victims(actor: Actor, people: list) -> Outcome:
    """Link or propose candidates for each victim with a name, phone or email; returns what
    was found. `people` are the importer's PersonRecords or stored IncidentPersons; a certain
    match sets their person_id and link_source (the caller writes them)."""
    outcome = Outcome()
    victims = [
        p for p in people if p.role == PersonRole.VICTIM and (p.is_named or p.phone or p.email)
    ]
    if not victims:
        return outcome
    keys = {id(victim): _victim_keys(victim) for victim in victims}
    agency_people = Person.objects.filter(agency=actor.agency)
    by_name_dob, by_contact = _known_by_keys(actor, agency_people, keys.values(), outcome)
    pool = _similar_name_pool(agency_people, [v for v in victims if v.is_named])
    if pool:
        outcome.keys.add("name")

    for victim in victims:
        k = keys[id(victim)]
        exact = set(by_name_dob.get(k["name_dob"], []))
        contact_hits = by_contact.get(k["phone"], set()) | by_contact.get(k["email"], set())
        sounds_alike = pool.get(sounds_like_index(victim.last_name), {}) if victim.is_named else {}
        proposals = _decide(victim, exact, contact_hits, sounds_alike)
        if isinstance(proposals, int):
            victim.person_id = proposals
            victim.link_source = LinkSource.EXACT
            outcome.linked += 1
            outcome.found.add(proposals)
        elif proposals:
            outcome.proposals.append((victim, proposals))
            outcome.found.update(p.person_id for p in proposals)
    return outcome


def _victim_keys(victim) -> dict[str, str]:
    """The blind indexes a victim can be found by: name and birth date, phone, email."""
    return {
        "name_dob": (
            name_dob_index(victim.first_name, victim.last_name, victim.date_of_birth)
            if victim.is_named
            else ""
        ),
        "phone": _phone_index(victim.phone) if victim.phone else "",
        "email": (
            contact_value_index(ContactKind.EMAIL, normalize_email(victim.email))
            if "@" in victim.email
            else ""
        ),
    }


def _known_by_keys(actor: Actor, agency_people, keys, outcome: Outcome):
    """({name-and-birth-date digest: [person ids]}, {contact digest: {person ids}}) of the
    agency's people who share a key with the victims, in one query each."""
    keys = list(keys)
    by_name_dob: dict[str, list[int]] = defaultdict(list)
    wanted = {k["name_dob"] for k in keys if k["name_dob"]}
    if wanted:
        outcome.keys.add("name_dob")
        for pk, digest in agency_people.filter(name_dob_index__in=wanted).values_list(
            "pk", "name_dob_index"
        ):
            by_name_dob[digest].append(pk)
    by_contact: dict[str, set[int]] = defaultdict(set)
    wanted = {k[kind] for k in keys for kind in ("phone", "email") if k[kind]}
    if wanted:
        outcome.keys.update(kind for k in keys for kind in ("phone", "email") if k[kind])
        for person_id, digest in ContactPoint.objects.filter(
            agency=actor.agency, value_index__in=wanted
        ).values_list("person_id", "value_index"):
            by_contact[digest].add(person_id)
    return by_name_dob, by_contact


def _decide(victim, exact: set[int], contact_hits: set[int], pool) -> int | list[Proposal]:
    """The person to link (an id), or the proposals for review (maybe none). `pool` holds the
    people whose last name sounds like the victim's: {id: (first, last, birth date)}."""
    if len(exact) == 1:
        return next(iter(exact))
    victim_name = _full(victim.first_name, victim.last_name) if victim.is_named else ""
    proposals: dict[int, Proposal] = {}
    for person_id in exact:
        proposals[person_id] = Proposal(person_id, 100, ["same name and birth date"])
    for person_id in contact_hits - exact:
        first, last, _dob = pool.get(person_id) or _name_of(person_id)
        score = fuzz.token_sort_ratio(victim_name, _full(first, last)) if victim_name else 0
        if not exact and len(contact_hits) == 1 and (not victim_name or score >= SIMILAR_NAME):
            return person_id
        reason = "same phone or email"
        proposals[person_id] = Proposal(
            person_id,
            int(score),
            [reason, "no name on the report" if not victim_name else _name_reason(score)],
        )
    if len(exact) > 1:
        for proposal in proposals.values():
            proposal.reasons.append("several people match")
    if victim_name:
        sound = _sounds(victim.first_name, victim.last_name)
        for person_id, (first, last, dob) in pool.items():
            if person_id in proposals:
                continue
            score = int(fuzz.token_sort_ratio(victim_name, _full(first, last)))
            sounds_alike = score >= SOUNDS_ALIKE and _sounds(first, last) == sound
            if score < SIMILAR_NAME and not sounds_alike:
                continue
            dob_reason = _dob_reason(victim.date_of_birth, dob)
            if score < 100 and dob_reason == "different birth date":
                continue  # a similar name and another birth date: a different person
            reasons = [_name_reason(score), dob_reason]
            if score < SIMILAR_NAME:
                reasons.insert(1, "names sound alike")
            proposals[person_id] = Proposal(person_id, score, reasons)
    return sorted(proposals.values(), key=lambda p: (-p.score, p.person_id))[:MAX_PROPOSALS]


def _sounds(first: str, last: str) -> tuple[str, str]:
    return soundex(normalize_name(first)), soundex(normalize_name(last))


def _name_reason(score: float) -> str:
    return "same name" if score >= 100 else f"similar name ({int(score)}%)"


def _dob_reason(report_dob, known_dob) -> str:
    if report_dob and known_dob:
        return "same birth date" if report_dob == known_dob else "different birth date"
    return "no birth date on the report" if not report_dob else "no birth date on file"


def _name_of(person_id: int) -> tuple[str, str, object]:
    return Person.objects.values_list("first_name", "last_name", "date_of_birth").get(pk=person_id)


def _similar_name_pool(people, victims) -> dict[str, dict[int, tuple[str, str, object]]]:
    """The people whose last name sounds like a named victim's, by that sound's digest: the
    only ones a similar-name search compares, so a batch costs one query, not one per victim,
    and only those rows are decrypted."""
    wanted = {sounds_like_index(v.last_name) for v in victims} - {""}
    if not wanted:
        return {}
    pool: dict[str, dict[int, tuple[str, str, object]]] = defaultdict(dict)
    for pk, digest, first, last, dob in people.filter(sounds_like_index__in=wanted).values_list(
        "pk", "sounds_like_index", "first_name", "last_name", "date_of_birth"
    ):
        pool[digest][pk] = (first, last, dob)
    return pool


def audit_search(actor: Actor, outcome: Outcome, run_id: int | None) -> None:
    """One person.search event per batch that looked anyone up, as people_matching writes for
    a single look-up: the keys used and the ids found, never the values."""
    if not outcome.keys:
        return
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_SEARCH,
        object_type="people.person",
        details={
            "keys": sorted(outcome.keys),
            "found": sorted(outcome.found),
            "import_run": run_id,
        },
    )
