"""Demo partner directory: a dozen made-up partner organizations of a victim services unit in one
city, their services, hours, languages and MOUs (one lapsing soon, one lapsed, one partner with
none). Every name, address and number is invented (555-01xx numbers are reserved for fiction).
Written through the services, as the system actor "manage.py demo"."""

from __future__ import annotations

import random
from datetime import time, timedelta

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.partners import services
from haven.partners.models import RenewalStatus
from haven.partners.selectors import local_today

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]

# (organization, [(service, needs, languages, eligibility, how to refer, hours)], mou)
# hours: "24/7", "weekdays", "evenings"; mou: days until it ends (None: no MOU).
PARTNERS = [
    (
        "Harbor House Domestic Violence Shelter",
        [
            (
                "Emergency confidential shelter",
                ["shelter", "hotline", "children_youth"],
                ["en", "es"],
                "Adults fleeing domestic violence, with their children. Address confidential.",
                "Call the 24-hour line with the survivor; intake answers any time.",
                "24/7",
            ),
            (
                "Transitional housing",
                ["housing"],
                ["en", "es"],
                "Shelter residents ready to move on; up to 24 months.",
                "Referral from the shelter's case manager.",
                "weekdays",
            ),
        ],
        400,
    ),
    (
        "Lakeshore Legal Aid",
        [
            (
                "Orders of protection",
                ["legal_aid", "advocacy"],
                ["en", "es", "pl"],
                "Survivors of domestic violence, sexual assault or stalking; no income limit.",
                "Fax or email the referral form; an attorney calls back within 2 business days.",
                "weekdays",
            ),
            (
                "Immigration help for survivors",
                ["immigration", "legal_aid"],
                ["en", "es", "ar", "zh"],
                "Victims of crime eligible for U or T visas or VAWA self-petitions.",
                "Call intake; bring the police report number if there is one.",
                "weekdays",
            ),
        ],
        21,  # lapsing soon
    ),
    (
        "Rape Victim Advocates of the Valley",
        [
            (
                "Hospital and court advocacy",
                ["sexual_assault", "advocacy", "medical"],
                ["en", "es"],
                "Survivors of sexual violence of any age, and their families.",
                "Call the hotline; an advocate meets the survivor at the hospital.",
                "24/7",
            ),
            (
                "Counseling for survivors",
                ["counseling", "sexual_assault"],
                ["en", "es"],
                "Survivors 13 and older; free.",
                "Survivors call to book; specialists may call with them.",
                "weekdays",
            ),
        ],
        700,
    ),
    (
        "Mercy Hospital Violence Recovery Program",
        [
            (
                "Forensic exams and follow-up care",
                ["medical", "sexual_assault"],
                ["en", "es", "pl", "ar"],
                "Patients after an assault; SANE nurses on call.",
                "Go to the emergency department; call ahead if you can.",
                "24/7",
            ),
        ],
        250,
    ),
    (
        "Westside Trauma Counseling Center",
        [
            (
                "Trauma therapy",
                ["counseling", "mental_health"],
                ["en", "es", "ar"],
                "Victims of violent crime and their families; sliding-scale fees.",
                "Fax the referral form with the victim's consent; first session within a week.",
                "evenings",
            ),
            (
                "Homicide survivors support group",
                ["counseling", "mental_health"],
                ["en"],
                "Families and friends of homicide victims.",
                "Drop in, or call the group coordinator.",
                "evenings",
            ),
        ],
        -10,  # lapsed
    ),
    (
        "Children's Advocacy Center of the County",
        [
            (
                "Forensic interviews and family advocacy",
                ["children_youth", "advocacy"],
                ["en", "es"],
                "Children up to 17 who may have been abused, and their caregivers.",
                "Referral by police, DCFS or the victim specialist; call the intake line.",
                "weekdays",
            ),
        ],
        500,
    ),
    (
        "New Roots Housing Partnership",
        [
            (
                "Rapid rehousing for survivors",
                ["housing", "financial"],
                ["en", "es"],
                "Survivors needing a new home; income limits apply.",
                "Coordinated entry: call the housing line with the survivor.",
                "weekdays",
            ),
        ],
        None,  # no MOU
    ),
    (
        "Bridge Recovery Services",
        [
            (
                "Outpatient substance use treatment",
                ["substance_use", "mental_health"],
                ["en", "es", "pl"],
                "Adults 18 and older; Medicaid accepted.",
                "Call for a same-week assessment.",
                "weekdays",
            ),
        ],
        320,
    ),
    (
        "Silver Years Elder Justice Program",
        [
            (
                "Elder abuse advocacy",
                ["elder", "advocacy"],
                ["en", "pl", "ko"],
                "People 60 and older harmed by abuse, neglect or financial exploitation.",
                "Call the program; a home visit can be arranged.",
                "weekdays",
            ),
        ],
        45,  # inside the 60-day window
    ),
    (
        "Pride Center Anti-Violence Project",
        [
            (
                "LGBTQ+ survivor advocacy",
                ["lgbtq", "advocacy", "counseling"],
                ["en", "es"],
                "LGBTQ+ survivors of violence and harassment.",
                "Call or text the advocacy line.",
                "evenings",
            ),
        ],
        410,
    ),
    (
        "Community Food and Emergency Aid",
        [
            (
                "Emergency food, clothing and phones",
                ["basic_needs", "financial", "transportation"],
                ["en", "es", "vi"],
                "Anyone in the city in an emergency; no documents needed.",
                "Walk in, or call ahead for a pick-up bag.",
                "weekdays",
            ),
        ],
        None,
    ),
    (
        "Deaf Access Services",
        [
            (
                "Interpreters and advocacy for Deaf survivors",
                ["disability", "language", "advocacy"],
                ["en"],
                "Deaf, DeafBlind and hard-of-hearing victims; ASL interpreters.",
                "Video phone or email; interpreters for interviews and court on request.",
                "weekdays",
            ),
        ],
        600,
    ),
]

STREETS = ["Main St", "Oak Ave", "State St", "Lake Shore Dr", "Grand Ave", "Elm St", "Halsted St"]


# long: the demo directory written partner by partner, in the seeded Random's order
def seed_demo(
    *,
    agency: Agency,
    rng: random.Random,
    city: str = "Riverside",
    state: str = "IL",
    zip_prefix: str = "606",
    area_code: str = "312",
) -> None:
    """Add the demo directory and MOUs to `agency` (in its scope)."""
    actor = Actor.system(agency, "manage.py demo")
    today = local_today(agency)
    line = iter(range(100, 200))

    def phone() -> str:
        return f"({area_code}) 555-0{next(line)}"

    for org_name, offered, mou_days in PARTNERS:
        slug = "".join(c for c in org_name.lower() if c.isalnum())[:20]
        org = services.organization_save(
            actor=actor,
            name=org_name,
            email=f"info@{slug}.example.org",
            website=f"https://{slug}.example.org",
            phone=phone(),
        )
        confidential = "Shelter" in org_name
        site = services.location_save(
            actor=actor,
            organization=org,
            name="Main office",
            location_type="physical",
            transportation="" if confidential else "Two blocks from the bus stop.",
            address=None
            if confidential
            else {
                "address_1": f"{rng.randint(100, 4999)} {rng.choice(STREETS)}",
                "city": city,
                "state_province": state,
                "postal_code": f"{zip_prefix}{rng.randint(10, 99)}",
            },
        )
        made = []
        for name, needs, languages, eligibility, how, hours in offered:
            svc = services.service_save(
                actor=actor,
                organization=org,
                name=name,
                description=f"{name} from {org_name}.",
                needs=needs,
                languages=languages,
                eligibility_description=eligibility,
                application_process=how,
                fees_description="Sliding scale" if "sliding" in eligibility else "Free",
                areas=[city, f"{city} and the county"],
                locations=[site],
                phone=phone(),
            )
            if hours == "24/7":
                services.schedule_add(
                    actor=actor,
                    service=svc,
                    days=[],
                    opens_at=None,
                    closes_at=None,
                    description="24 hours, every day",
                )
            elif hours == "evenings":
                services.schedule_add(
                    actor=actor,
                    service=svc,
                    days=["MO", "TU", "WE", "TH"],
                    opens_at=time(12),
                    closes_at=time(20),
                )
            else:
                services.schedule_add(
                    actor=actor, service=svc, days=WEEKDAYS, opens_at=time(9), closes_at=time(17)
                )
            made.append(svc)
        services.contact_add(
            actor=actor,
            organization=org,
            name=rng.choice(["Jordan", "Maria", "Tomasz", "Aisha", "Wei", "Keisha"])
            + " "
            + rng.choice(["Reyes", "Kowalski", "Haddad", "Chen", "Brooks", "Nguyen"]),
            title="Intake coordinator",
            email=f"intake@{slug}.example.org",
            phone=phone(),
        )
        if mou_days is not None:
            ends = today + timedelta(days=mou_days)
            services.mou_save(
                actor=actor,
                organization=org,
                title=f"Referral partnership with {org_name}",
                starts_on=ends - timedelta(days=3 * 365),
                ends_on=ends,
                signed_on=ends - timedelta(days=3 * 365 + 14),
                signed_by_agency="Director of Victim Services",
                signed_by_partner="Executive Director",
                scope="Warm referrals both ways; quarterly case-conference meetings.",
                data_exchange=(
                    "With the victim's written release only: name, contact and the service "
                    "needed. Aggregate counts each quarter."
                ),
                renewal_status=RenewalStatus.IN_PROGRESS
                if 0 <= mou_days <= 60
                else RenewalStatus.NOT_STARTED,
                document_reference=f"MOU-{ends.year - 3}-{slug[:6].upper()}",
                services=made,
            )
