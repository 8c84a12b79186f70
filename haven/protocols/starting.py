"""The starting templates Haven ships (docs/protocols.md lists each with its sources). They are
starting points: an agency gets a copy (protocol_templates_start) and its coordinators change
it on the protocols page. Hours count from the protocol's start (the case's opening, when a rule
or the victimization type starts it) or, with `after`, from the completion of an earlier step.
Service codes are the OVC PMT sub-services of assistance's catalog."""

from __future__ import annotations

from haven.protocols.validation import StepData as S
from haven.protocols.validation import TemplateData

LEV_II = {
    "title": "IACP/OVC, Law Enforcement-Based Victim Services Template Package II: Protocols "
    "and Documentation",
    "url": "https://ojp.gov/library/publications/law-enforcement-based-victim-services-"
    "template-package-ii-protocols-and",
}
LEV_I = {
    "title": "IACP/OVC, Law Enforcement-Based Victim Services Template Package I: Getting "
    "Started (rev. April 2021; On-Call Response protocol)",
    "url": "https://docslib.org/doc/2337355/law-enforcement-based-victim-services-template-"
    "package-i-getting-started",
}
IL_COMPENSATION = {
    "title": "Illinois Crime Victims Compensation Act, 740 ILCS 45 (law enforcement must tell "
    "victims about compensation, 45/5.1(b); funeral, relocation and other covered losses)",
    "url": "https://www.ilga.gov/legislation/ilcs/ilcs3.asp?ActID=2028&ChapterID=57",
}

DEATH_NOTIFICATION = TemplateData(
    key="homicide-survivors",
    name="Death notification and homicide survivors",
    description="For the family of a person killed by a crime, from the night of the death.",
    victimizations=["homicide_survivor"],
    sources=[
        LEV_II,
        {
            "title": "FBI, Trauma Notification Training (death notification in person, "
            "with the medical examiner's identification first)",
            "url": "https://le.fbi.gov/trauma-notification-training/scenario-4-best-practices",
        },
        {
            "title": "New Jersey, Revised Homicide and Sudden Death Survivor Guidelines "
            "(NCJ 102985): notification, release of information and property",
            "url": "https://ojp.gov/ncjrs/virtual-library/abstracts/revised-homicide-and-"
            "sudden-death-survivor-guidelines-report",
        },
        {
            "title": "National Center for Victims of Crime, Promising Practices: "
            "Multidisciplinary Responses to Complex Homicide Cases",
            "url": "https://vdocuments.net/multidisciplinary-responses-to-complex-homicide-"
            "cases.html",
        },
        IL_COMPENSATION,
    ],
    steps=[
        S(
            "next-of-kin",
            "Next of kin identified and notified in person (with the detective)",
            "advocate",
            due_hours=4,
            services=["C3", "C1"],
            notes="Only after the medical examiner has identified the deceased. Two people, in "
            "person, never by phone; plain words (“died”, “killed”). Ask who else must be told "
            "and offer to reach another jurisdiction's advocate for family far away.",
        ),
        S(
            "medical-examiner",
            "Explain the medical examiner's process: identification, autopsy, release of the body",
            "advocate",
            after="next-of-kin",
            due_hours=24,
            services=["A1"],
            notes="Give the ME's phone and case number. Families ask when they can see the "
            "body and when the funeral home may collect it.",
        ),
        S(
            "media",
            "Talk with the family about the media: who speaks, what the department releases",
            "advocate",
            after="next-of-kin",
            due_hours=24,
            services=["A1", "E6"],
            notes="Coordinate with the public information officer before the name is released.",
        ),
        S(
            "funeral-compensation",
            "Funeral and burial compensation: explain it and help file the claim",
            "advocate",
            after="next-of-kin",
            due_hours=72,
            services=["A1", "C7"],
            notes="Whoever pays for the funeral may apply. Ask for receipts; check the "
            "program's deadlines and the emergency award.",
        ),
        S(
            "property-release",
            "Personal property and evidence: what is held, when it can be released, to whom",
            "advocate",
            after="next-of-kin",
            due_hours=7 * 24,
            services=["B4"],
            notes="Ask the detective and the evidence unit; tell the family before they ask.",
        ),
        S(
            "case-status",
            "Investigation status call with the detective; rights and court process explained",
            "advocate",
            after="next-of-kin",
            due_hours=14 * 24,
            services=["A1", "A2", "E1"],
        ),
        S(
            "support-referral",
            "Referral to a homicide survivors' support group or grief counseling",
            "advocate",
            after="next-of-kin",
            due_hours=30 * 24,
            services=["A3", "C5"],
        ),
        S(
            "supervisor-review",
            "Supervisor's review of the response",
            "supervisor",
            due_hours=7 * 24,
        ),
    ],
)

NON_FATAL_SHOOTING = TemplateData(
    key="non-fatal-shooting",
    name="Non-fatal shooting",
    description="For a person shot and wounded: at the hospital, then safety and recovery.",
    victimizations=[],  # started by the "Non-fatal shootings" outreach rule (firearm reports)
    sources=[
        LEV_II,
        LEV_I,
        {
            "title": "EAST practice management guideline, Hospital-Based Violence Intervention "
            "Programs Targeting Adult Populations (Trauma Surg Acute Care Open, 2016)",
            "url": "https://east.org/education-career-development/practice-management-"
            "guidelines/details/hospitalbased-violence-intervention-programs-targeting-"
            "adult-populations",
        },
        IL_COMPENSATION,
    ],
    steps=[
        S(
            "hospital-response",
            "Hospital response: meet the victim or family at the hospital",
            "advocate",
            due_hours=2,
            services=["B1", "C1"],
            notes="Ask the trauma team for a quiet room for the family. Check whether the "
            "hospital's violence intervention program is already at the bedside.",
        ),
        S(
            "safety",
            "Safety check and plan before discharge (retaliation, where to go)",
            "advocate",
            after="hospital-response",
            due_hours=24,
            services=["C1"],
        ),
        S(
            "relocation",
            "Relocation: assess the need and start emergency housing or relocation help",
            "advocate",
            after="safety",
            due_hours=72,
            services=["D1", "D3"],
        ),
        S(
            "compensation",
            "Crime victim compensation: medical bills, lost wages, relocation",
            "advocate",
            after="hospital-response",
            due_hours=7 * 24,
            services=["A1", "C7"],
        ),
        S(
            "follow-up",
            "Follow-up after discharge: counseling, return to work or school",
            "advocate",
            after="hospital-response",
            due_hours=14 * 24,
            services=["A4", "C4"],
        ),
    ],
)

SEXUAL_ASSAULT = TemplateData(
    key="sexual-assault",
    name="Sexual assault",
    description="For an adult or adolescent victim of sexual assault.",
    victimizations=["adult_sexual_assault"],
    sources=[
        LEV_II,
        {
            "title": "U.S. DOJ Office on Violence Against Women, A National Protocol for Sexual "
            "Assault Medical Forensic Examinations: Adults/Adolescents (2nd ed., 2013)",
            "url": "https://www.ojp.gov/ncjrs/virtual-library/abstracts/national-protocol-"
            "sexual-assault-medical-forensic-examinations",
        },
        {
            "title": "National Institute of Justice, National Best Practices for Sexual Assault "
            "Kits: A Multidisciplinary Approach (NCJ 250384, 2017)",
            "url": "https://nij.ojp.gov/topics/articles/national-best-practices-sexual-assault-"
            "kits-multidisciplinary-approach",
        },
        {
            "title": "NNEDV Safety Net, Confidentiality & Releases FAQ (VAWA confidentiality, "
            "34 U.S.C. 12291(b)(2))",
            "url": "https://techsafety.org/releasesfaq",
        },
    ],
    steps=[
        S(
            "confidential-advocacy",
            "Explain what stays confidential with the advocate and what goes in the police report",
            "advocate",
            due_hours=2,
            services=["A2"],
            notes="Offer a community-based confidential advocate as well; the victim chooses.",
        ),
        S(
            "forensic-exam",
            "Offer accompaniment to the medical forensic exam",
            "advocate",
            due_hours=4,
            services=["B2"],
            notes="The exam is the victim's choice and is free to them (VAWA); evidence is "
            "best collected within days. Bring a change of clothes.",
        ),
        S(
            "interview",
            "Offer accompaniment to the detective's interview",
            "advocate",
            after="forensic-exam",
            due_hours=72,
            services=["B3", "E9"],
        ),
        S(
            "kit-status",
            "Evidence kit status: tell the victim where the kit is and how to ask about it",
            "advocate",
            after="forensic-exam",
            due_hours=30 * 24,
            services=["A1", "E1"],
            notes="Ask the lab or the detective whether the kit was submitted and tested; tell "
            "the victim in the way they asked to be told.",
        ),
        S(
            "counseling",
            "Referral to sexual assault counseling",
            "advocate",
            after="confidential-advocacy",
            due_hours=7 * 24,
            services=["A3", "C4"],
        ),
    ],
)

DOMESTIC_VIOLENCE = TemplateData(
    key="domestic-violence",
    name="Domestic violence",
    description="Follow-through after the lethality screen.",
    victimizations=["domestic_violence"],
    sources=[
        LEV_II,
        {
            "title": "Maryland Network Against Domestic Violence, Lethality Assessment Program "
            "(protocol background: NCJ 233643)",
            "url": "https://www.ncjrs.gov/App/Publications/abstract.aspx?ID=255579",
        },
    ],
    steps=[
        S(
            "lethality-follow-through",
            "Follow through on the lethality screen: the hotline call made, the victim's answer "
            "recorded",
            "advocate",
            due_hours=24,
            services=["C1", "C2"],
            notes="A victim screened in is offered the call to the domestic violence hotline "
            "at the scene; follow up on what came of it.",
        ),
        S(
            "safety-plan",
            "Safety plan made with the victim",
            "advocate",
            due_hours=48,
            services=["C1"],
        ),
        S(
            "order-of-protection",
            "Order of protection: explain it and help file it",
            "advocate",
            after="safety-plan",
            due_hours=72,
            services=["E4"],
        ),
        S(
            "order-served",
            "Confirm the order was served; tell the victim",
            "advocate",
            after="order-of-protection",
            due_hours=7 * 24,
            services=["E1"],
        ),
        S(
            "shelter",
            "Shelter or housing, if needed",
            "advocate",
            after="safety-plan",
            due_hours=72,
            services=["D1", "D2"],
        ),
    ],
)

TRAFFICKING = TemplateData(
    key="human-trafficking",
    name="Human trafficking",
    description="For a victim of sex or labor trafficking.",
    victimizations=["trafficking_sex", "trafficking_labor"],
    sources=[
        LEV_II,
        {
            "title": "DHS, U and T Visa Law Enforcement Resource Guide (I-918B certification, "
            "I-914B declaration)",
            "url": "https://www.hsdl.org/?abstract&did=820012",
        },
        {
            "title": "USCIS, U Visa Law Enforcement Resource Guide (2022)",
            "url": "https://niwaplibrary.wcl.american.edu/pubs/u-visa-certification-resource-"
            "guide-2022/",
        },
    ],
    steps=[
        S(
            "safe-housing",
            "Safe housing tonight",
            "advocate",
            due_hours=4,
            services=["D1"],
        ),
        S(
            "needs",
            "Immediate needs: medical care, food, clothing, an interpreter",
            "advocate",
            due_hours=24,
            services=["B1", "B10"],
        ),
        S(
            "legal-referral",
            "Referral to an immigration attorney",
            "advocate",
            after="safe-housing",
            due_hours=7 * 24,
            services=["B6", "E7"],
        ),
        S(
            "visa-certification",
            "T visa declaration (I-914B) or U visa certification (I-918B) requested from the "
            "certifying official",
            "supervisor",
            after="legal-referral",
            due_hours=30 * 24,
            services=["B6", "E7"],
            notes="The agency's certifying official signs; the victim's helpfulness is what "
            "is certified, not the case outcome.",
        ),
    ],
)

ELDER_ABUSE = TemplateData(
    key="elder-abuse",
    name="Elder abuse",
    description="For an older adult abused, neglected or exploited.",
    victimizations=["elder_abuse"],
    sources=[
        LEV_II,
        {
            "title": "Administration for Community Living, National Voluntary Consensus "
            "Guidelines for State Adult Protective Services Systems (2020 update)",
            "url": "https://acl.gov/programs/elder-justice/final-voluntary-consensus-"
            "guidelines-state-aps-systems",
        },
    ],
    steps=[
        S(
            "aps-report",
            "Report to adult protective services (mandated reporting)",
            "advocate",
            due_hours=24,
            services=["A4"],
        ),
        S(
            "capacity-caregiver",
            "Who cares for the victim now; is the caregiver the suspect",
            "advocate",
            due_hours=24,
            services=["C1"],
        ),
        S(
            "financial",
            "Financial exploitation: bank, benefits, power of attorney",
            "advocate",
            after="aps-report",
            due_hours=7 * 24,
            services=["B4", "B7"],
        ),
        S(
            "aps-follow-up",
            "Follow up with the APS worker on the case",
            "advocate",
            after="aps-report",
            due_hours=14 * 24,
            services=["A4"],
        ),
    ],
)

CHILD_VICTIMS = TemplateData(
    key="child-victims",
    name="Child victims",
    description="For a child victim of abuse, through the children's advocacy center.",
    victimizations=["child_sexual_abuse", "child_physical_abuse"],
    sources=[
        LEV_II,
        {
            "title": "National Children's Alliance, Standards for Accredited Members (forensic "
            "interviews, victim support and advocacy, the multidisciplinary team)",
            "url": "https://www.dakotacac.org/who-we-are/what-we-do/nca-standards-for-"
            "accreditation/",
        },
    ],
    steps=[
        S(
            "cps-report",
            "Child protective services told (mandated reporting)",
            "advocate",
            due_hours=24,
            services=["A4"],
        ),
        S(
            "cac-interview",
            "Forensic interview scheduled at the children's advocacy center",
            "advocate",
            due_hours=72,
            services=["B3"],
            notes="One interview, at the CAC, by a trained interviewer: avoid repeated interviews.",
        ),
        S(
            "caregiver-support",
            "Support for the non-offending caregiver",
            "advocate",
            after="cac-interview",
            due_hours=72,
            services=["C1", "A3"],
        ),
        S(
            "medical",
            "Medical evaluation at the CAC",
            "advocate",
            after="cac-interview",
            due_hours=7 * 24,
            services=["B2"],
        ),
        S(
            "mdt-review",
            "Case reviewed at the multidisciplinary team meeting",
            "supervisor",
            after="cac-interview",
            due_hours=30 * 24,
        ),
    ],
)

STARTING_TEMPLATES = (
    DEATH_NOTIFICATION,
    NON_FATAL_SHOOTING,
    SEXUAL_ASSAULT,
    DOMESTIC_VIOLENCE,
    TRAFFICKING,
    ELDER_ABUSE,
    CHILD_VICTIMS,
)
