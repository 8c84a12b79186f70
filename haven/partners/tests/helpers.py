"""Small directories for the partner tests and agency B's rows for the tenant-isolation walk
(haven/core/tests/test_tenant_isolation.py)."""

from datetime import time, timedelta

from haven.core.actor import Actor
from haven.partners import services
from haven.partners.models import Organization
from haven.partners.selectors import local_today


def build_directory(agency, prefix: str = "") -> dict:
    """Three partners of `agency` through the services: a shelter (Spanish, in Riverside), a
    legal-aid office (Polish, in Springfield, with an MOU) and an inactive counseling center."""
    actor = Actor.system(agency, "test directory")
    shelter = services.organization_save(
        actor=actor, name=f"{prefix}Safe Harbor Shelter", phone="(312) 555-0190"
    )
    shelter_site = services.location_save(
        actor=actor,
        organization=shelter,
        name="Intake office",
        location_type="physical",
        address={
            "address_1": "100 Main St",
            "city": "Riverside",
            "state_province": "IL",
            "postal_code": "60546",
        },
    )
    beds = services.service_save(
        actor=actor,
        organization=shelter,
        name="Emergency shelter",
        description="Confidential emergency shelter for survivors of domestic violence.",
        eligibility_description="Adults fleeing domestic violence, with their children.",
        minimum_age=18,
        application_process="Call the 24-hour line; a specialist may call with the victim.",
        needs=["shelter", "hotline"],
        languages=["en", "es"],
        areas=["Cook County"],
        locations=[shelter_site],
        phone="(312) 555-0191",
    )
    services.schedule_add(
        actor=actor,
        service=beds,
        days=[],
        opens_at=None,
        closes_at=None,
        description="24 hours, every day",
    )
    legal = services.organization_save(actor=actor, name=f"{prefix}Prairie Legal Aid")
    office = services.location_save(
        actor=actor,
        organization=legal,
        location_type="physical",
        address={
            "address_1": "20 State St",
            "address_2": "Suite 4",
            "city": "Springfield",
            "state_province": "IL",
            "postal_code": "62701",
        },
    )
    orders = services.service_save(
        actor=actor,
        organization=legal,
        name="Protective order help",
        description="Lawyers help with orders of protection and family court.",
        needs=["legal_aid", "advocacy"],
        languages=["en", "pl"],
        locations=[office],
        fees_description="Free",
    )
    services.schedule_add(
        actor=actor,
        service=orders,
        days=["MO", "TU", "WE", "TH", "FR"],
        opens_at=time(9),
        closes_at=time(17),
    )
    services.contact_add(
        actor=actor,
        organization=legal,
        name="Pat Lawson",
        title="Intake lawyer",
        email="intake@prairie.example.org",
        phone="(217) 555-0100",
        service=orders,
    )
    today = local_today(agency)
    mou = services.mou_save(
        actor=actor,
        organization=legal,
        title="Legal advocacy referrals",
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=65),
        scope="Referrals for protective orders.",
        services=[orders],
    )
    counseling = services.organization_save(
        actor=actor, name=f"{prefix}Quiet Counseling", is_active=False
    )
    talk = services.service_save(
        actor=actor,
        organization=counseling,
        name="Crisis counseling",
        needs=["counseling"],
        languages=["en"],
        areas=["Riverside"],
    )
    return {
        "shelter": shelter,
        "beds": beds,
        "legal": legal,
        "orders": orders,
        "mou": mou,
        "counseling": counseling,
        "talk": talk,
        "shelter_site": shelter_site,
    }


def other_agency_partners(cast) -> dict:
    """Agency B's partner rows by path parameter; their names carry "Lakeside", which the walk
    looks for in every answer to agency A."""
    d = build_directory(cast.agency_b, prefix="Lakeside ")
    legal: Organization = d["legal"]
    return {
        "partner_org_id": legal.pk,
        "partner_service_id": d["orders"].pk,
        "partner_location_id": legal.locations.first().pk,
        "partner_schedule_id": d["orders"].schedules.first().pk,
        "partner_contact_id": legal.contacts.first().pk,
        "mou_id": d["mou"].pk,
    }
