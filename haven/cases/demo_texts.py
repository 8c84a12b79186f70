"""The words of the demo's casework: narratives, contact summaries, notes, tasks and closing
reasons, as a police-based victim services unit writes them. Data only (haven/cases/demo.py
and demo_casework.py draw from it)."""

from haven.cases.models import AttemptResult, CaseSource, CaseStatus

NARRATIVES = {
    "domestic_violence": (
        "Domestic battery at the victim's residence; the offender, a former partner, was "
        "arrested on scene. {kids}",
        "Victim reports her partner choked her during an argument. Officers completed the "
        "lethality screen. {kids}",
        "Ex-boyfriend forced entry and damaged property; victim has an order of protection "
        "that he violated.",
        "Victim was struck by her husband in front of neighbors; he left before police arrived.",
    ),
    "adult_physical_assault": (
        "Victim was attacked outside a bar in the {district} district and treated at the ER "
        "for a broken jaw.",
        "Aggravated battery: victim was hit with a bottle during a dispute with a neighbor.",
        "Non-fatal shooting: victim was struck in the leg while walking home; treated and "
        "released.",
    ),
    "robbery": (
        "Armed robbery of the victim's phone and wallet at a bus stop in the {district} district.",
        "Victim was robbed at gunpoint while making a delivery; no injuries reported.",
    ),
    "adult_sexual_assault": (
        "Sexual assault reported by the victim at the hospital; a forensic exam was completed "
        "and the victim asked for an advocate.",
        "Victim reports an acquaintance assaulted her after a party; investigation open.",
    ),
    "homicide_survivor": (
        "Victim's {relative} was fatally shot in the {district} district; the family was "
        "notified by detectives.",
        "Victim's {relative} died in a stabbing; offender in custody. Family asked about "
        "funeral expenses.",
    ),
    "stalking": (
        "Former partner repeatedly shows up at the victim's workplace and sends threatening "
        "messages.",
        "Victim reports being followed and receiving messages from unknown accounts for "
        "several weeks.",
    ),
}
GENERIC_NARRATIVES = (
    "Report taken in the {district} district; victim asked to be contacted by victim services.",
    "Victim reported the incident at the station and agreed to an outreach call.",
    "Referred after the responding officer noted the victim was shaken and without support.",
)
FIRST_CONTACTS = (
    "Introduced victim services and the advocate's role; victim agreed to follow-up calls.",
    "Discussed safety plan and shelter options; victim is staying with her sister for now.",
    "Explained crime victim compensation and mailed the application.",
    "Explained how to petition for an order of protection; victim wants to file on Monday.",
    "Went over the victim's rights and how to reach the detective on the case.",
    "Victim shaken but safe; gave the 24-hour hotline number and agreed to call tomorrow.",
    "Discussed medical bills from the ER visit and how compensation can help.",
    "Safety planning: changed locks arranged, reviewed who to call in an emergency.",
)
FOLLOW_UPS = (
    "Checked in; victim reports no further contact from the offender.",
    "Accompanied victim to the bond hearing; explained the next court date.",
    "Reviewed the compensation application together; medical bills still missing.",
    "Gave an update on the investigation after speaking with the detective.",
    "Referred to counseling at a partner agency; victim will call them this week.",
    "Helped victim request a copy of the police report.",
    "Discussed relocation assistance and the emergency housing waitlist.",
    "Updated the safety plan after the offender was released on bond.",
    "Victim asked about the order of protection hearing; confirmed the date and courtroom.",
    "Connected victim with legal aid for the custody question.",
)
INBOUND_FOLLOW_UPS = (
    "Victim called with questions about the court date.",
    "Victim called to report new messages from the offender; advised to save them and call "
    "911 if in danger.",
    "Victim called back about the compensation form; walked through the employer section.",
    "Victim texted to say she found a new apartment and wants help with the deposit.",
)
FIRST_INBOUND = {
    CaseSource.HOTLINE: "Hotline call: victim described the incident and asked what help is "
    "available. Safety planned on the call.",
    CaseSource.WALK_IN: "Victim came to the office; completed intake and a safety plan, gave "
    "the resource packet.",
    CaseSource.SELF: "Victim called the unit directly after finding our number on the report "
    "receipt; intake completed.",
}
FAMILY_CONTACTS = (
    "Spoke with the victim's family member about funeral expenses and compensation.",
    "Family member asked for the detective's contact; passed on the number.",
    "Met the family at the office to explain the court process.",
)
DECLINED = (
    "Victim declined services for now; gave the unit's number and the hotline in case that changes."
)
FIRST_CONTACT_REASON = "First contact made"  # as cases.services.contact_log writes it
AUTO_ASSIGN_REASON = "Outreach rule: assigned by district"
NO_NUMBER_NOTE = "Asked the detective for another number; none on file."
ATTEMPT_SUMMARIES = {
    AttemptResult.NO_ANSWER: ("", "No answer, no voicemail set up."),
    AttemptResult.VOICEMAIL_LEFT: (
        "Left a brief voicemail with the unit's number, no details about the incident.",
    ),
    AttemptResult.MESSAGE_SENT: ("Sent a text introducing the unit (texts marked safe).",),
    AttemptResult.BUSY: ("",),
    AttemptResult.WRONG_NUMBER: ("The number from the report reaches someone else.",),
    AttemptResult.DISCONNECTED: ("Number from the report is disconnected.",),
    AttemptResult.UNSAFE: ("Victim answered but said it was not safe to talk; will call back.",),
}
NOTES = (
    "Victim prefers calls after 5pm; her partner is at work until then.",
    "Detective confirmed the offender was released on bond this morning.",
    "Consulted with the supervisor about emergency relocation funds.",
    "Shelter bed confirmed for tonight; transportation arranged.",
    "Submitted the crime victim compensation application on the victim's behalf.",
    "Victim's employer agreed to a leave of absence; letter provided.",
    "Victim is worried about her immigration status; referred to legal aid.",
    "Court date moved; victim informed by phone.",
    "Victim requested that we only contact her by text.",
    "Checked the court docket: order of protection hearing set.",
)
NEW_CASE_NOTES = (
    "Reviewed the report; victim's phone from the report may be out of date.",
    "Responding officer says the victim is staying with family; will try the number listed.",
)
HIGH_DANGER_NOTE = "Lethality screen by the responding officer: high danger. Prioritizing outreach."
INTERPRETER_NOTE = "Used the telephone interpreter line for the call."
OPEN_TASKS = (
    "Follow-up call",
    "Check on order of protection hearing",
    "Mail compensation application",
    "Call detective for case status",
    "Court accompaniment: preliminary hearing",
    "Check in after bond hearing",
    "Send shelter and counseling referrals",
)
DONE_TASKS = (
    "Follow-up call",
    "Mail resource packet",
    "Help with compensation application",
    "Court accompaniment",
    "Call detective for case status",
    "Arrange emergency lock change",
)
CLOSE_REASONS = {
    CaseStatus.CLOSED: (
        "Services completed",
        "Victim's goals met; closed with an open invitation to call",
        "Victim moved out of the area; referred to the local victim services unit",
        "Referred to a partner agency for ongoing counseling",
        "Prosecution concluded; victim informed of the outcome",
    ),
    CaseStatus.DECLINED: (
        "Victim declined services",
        "Victim has support from family and declined further contact",
        "Victim declined; asked not to be called again",
    ),
    CaseStatus.UNABLE_TO_CONTACT: (
        "No response after several attempts and an outreach letter",
        "Phone number from the report is disconnected; letter returned",
        "No working contact information",
    ),
}
REASSIGN_REASONS = (
    "Caseload balancing",
    "Advocate on leave",
    "Spanish-speaking advocate requested",
    "Moved to the district's advocate",
)
RELATIVES = ("son", "daughter", "brother", "sister", "husband", "nephew", "father")
