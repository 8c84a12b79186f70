"""A help page with something in every section, for tests, browser tests and the screenshot
command (scripts/screenshots.py): the cast's agency A with its phone, weekday hours, an on-call
crisis line, hotlines, one listed partner and one not, and its own words in English and
Spanish only (so Polish, Chinese and Arabic show the English with the notice)."""

from datetime import time

from haven.agencies.models import Agency, ServiceHours
from haven.agencies.services import AgencySettings, agency_settings_update
from haven.core.actor import Actor
from haven.oncall.services import oncall_settings_set
from haven.partners.services import organization_save
from haven.public.services import help_text_save

ABOUT_EN = "We are civilian victim specialists inside the police department.\nOur help is free."
ABOUT_ES = (
    "Somos especialistas civiles en atención a víctimas dentro del departamento de policía.\n"
    "Nuestra ayuda es gratuita."
)
REACH_EN = "Walk in at 1100 S. Main Street, second floor, Monday to Friday."


def furnish_help_page(coordinator: Actor) -> Agency:
    agency = coordinator.agency
    Agency.objects.filter(pk=agency.pk).update(phone="(312) 555-0100")
    ServiceHours.objects.bulk_create(
        [
            ServiceHours(agency=agency, weekday=d, opens=time(8, 30), closes=time(17))
            for d in range(5)
        ]
        + [ServiceHours(agency=agency, weekday=5, opens=time(9), closes=time(13))]
    )
    agency_settings_update(
        actor=coordinator,
        settings=AgencySettings(
            time_zone=agency.time_zone,
            first_contact_goal_hours=agency.first_contact_goal_hours,
            advocates_see_own_caseload_only=agency.advocates_see_own_caseload_only,
            closure_review_required=agency.closure_review_required,
            dv_hotline_name="City Domestic Violence Help Line",
            dv_hotline_phone="(877) 863-6338",
            dv_hotline_hours="24 hours",
            state_hotline_name="Illinois Domestic Violence Hotline",
            state_hotline_phone="(877) 863-6338",
        ),
    )
    oncall_settings_set(actor=coordinator, coverage="service_hours", hotline="(312) 555-0199")
    organization_save(
        actor=coordinator,
        name="Harbor House",
        description="Emergency shelter and counseling.",
        website="https://harbor.example/",
        phone="(312) 555-0142",
        list_on_public_page=True,
    )
    organization_save(actor=coordinator, name="Quiet Partner Clinic", list_on_public_page=False)
    help_text_save(actor=coordinator, language="en", about=ABOUT_EN, reach=REACH_EN)
    help_text_save(actor=coordinator, language="es", about=ABOUT_ES, reach="")
    return Agency.objects.get(pk=agency.pk)
