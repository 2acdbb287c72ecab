"""The seed's story in the demo data: Borås hosts Vestland for 1.5 days of job shadowing.

The 2025 exchange itself (seed/000_fe1137427a79b48e.txt) plus what follows from its lessons
learnt: a new round of the Borås offer, and Vestland's reciprocal offer that Borås applies to.
"""

import datetime
from decimal import Decimal

BORAS_THEMES = [
    "inclusion",
    "neet-re-engagement",
    "inter-agency-cooperation",
    "motivational-interviewing",
    "guidance-counselling",
]

BORAS_DESCRIPTION = (
    "Borås Stad's Working Life Department invites staff from other regions to spend a day and "
    "a half with its Multicompetent Team, which helps young people and adults who are furthest "
    "from the labour market back into education and work.\n\n"
    "The programme shows Borås' inclusive employment strategies: how the municipality, the "
    "Public Employment Service, the social services and health care cooperate around each "
    "person; how personalised support is planned and followed up; and how the team uses tools "
    "like motivational interviewing and ACT guidance in its daily work.\n\n"
    "Participants observe real follow-up meetings, with the consent of the people concerned, "
    "talk with job coaches and guidance counsellors, and discuss with the management how the "
    "cooperation between agencies is organised and how information flows between them. The "
    "visit suits advisors, case workers and project leaders who are developing a similar "
    "multi-agency service in their own region."
)

BORAS_PROGRAMME = (
    "Day 1, morning: welcome at the Working Life Department; Borås' strategy for inclusive "
    "employment and the Multicompetent Team's way of working.\n"
    "Day 1, afternoon: shadowing of follow-up meetings in pairs with job coaches and guidance "
    "counsellors.\n"
    "Day 2, morning: motivational interviewing and ACT guidance in practice; mapping tools; "
    "reflection and next steps for your own context."
)

BORAS_PRACTICAL = (
    "Meeting point: the Working Life Department in central Borås. Borås is about 40 minutes "
    "by bus from Göteborg Landvetter Airport. The programme runs in English; Scandinavian "
    "colleagues are welcome to speak their own language."
)

BORAS_COSTS = "No fee. The sending organisation pays travel, accommodation and meals."

# The 2025 round: in the past, so the rows are written directly (services refuse past dates).
BORAS_2025 = dict(
    title="Job shadowing: inclusive pathways with the Multicompetent Team",
    exchange_type="job-shadowing",
    themes=BORAS_THEMES,
    target_group="staff",
    languages=["sv", "en"],
    description=BORAS_DESCRIPTION,
    programme=BORAS_PROGRAMME,
    practical_information=BORAS_PRACTICAL,
    costs_note=BORAS_COSTS,
    available_from=datetime.date(2025, 5, 12),
    available_until=datetime.date(2025, 5, 13),
    fixed_dates=True,
    duration_days=Decimal("1.5"),
    capacity=4,
    application_deadline=datetime.date(2025, 4, 25),
    supports_fewer_opportunities=False,
    status="closed",
    published_at=(datetime.date(2025, 4, 3), 10),
    created_at=(datetime.date(2025, 4, 1), 14),
)

VESTLAND_2025 = dict(
    motivation=(
        "We learned about Borås' Multicompetent Team at the EARLALL network meeting. Vestland "
        "County Council is developing a similar initiative together with NAV, the Norwegian "
        "Labour and Welfare Administration, for young people and adults outside education and "
        "work. We would like to see how Borås organises inter-agency cooperation, personalised "
        "support and follow-up in practice, and how motivational interviewing is used in the "
        "meetings. We will use what we learn in the design of our own service and share it with "
        "our partners in NAV and in the schools."
    ),
    participants=3,
    fewer_opportunity_participants=0,
    participant_roles=(
        "Two advisors from the Section for Quality in Education, Department for Education and "
        "Competence, and one NAV case worker."
    ),
    preferred_start=datetime.date(2025, 5, 12),
    preferred_end=datetime.date(2025, 5, 13),
    languages=["en", "no"],
    steps=[
        ("submitted", "applicant", "", (datetime.date(2025, 4, 8), 10)),
        (
            "accepted",
            "host",
            "Welcome to Borås! We look forward to hosting you on 12–13 May and will send the "
            "programme next week.",
            (datetime.date(2025, 4, 14), 14),
        ),
    ],
)

# A new round, open now (dates relative to today; see seed_demo).
BORAS_NEXT = dict(
    title="Job shadowing: person-centred support with the Multicompetent Team",
    exchange_type="job-shadowing",
    themes=BORAS_THEMES,
    target_group="staff",
    languages=["sv", "en"],
    description=(
        "After hosting Vestland County Council in May 2025, Borås Stad opens a new round of "
        "job shadowing with its Multicompetent Team.\n\n" + BORAS_DESCRIPTION.split("\n\n", 1)[1]
    ),
    programme=BORAS_PROGRAMME,
    practical_information=BORAS_PRACTICAL,
    costs_note=BORAS_COSTS,
    fixed_dates=False,
    duration_days=Decimal("1.5"),
    capacity=4,
    supports_fewer_opportunities=False,
)

# Who applies to the new round: (organisation key, status, participants, roles, days ago).
BORAS_NEXT_APPLICATIONS = [
    (
        "catalonia",
        "shortlisted",
        2,
        "Two guidance counsellors from the Catalan VET guidance service.",
        9,
    ),
    ("rogaland", "submitted", 2, "A follow-up service advisor and a NAV youth contact.", 6),
    (
        "lower-silesia",
        "submitted",
        2,
        "Two vocational counsellors from county employment offices.",
        3,
    ),
]

# The reciprocal visit the lessons learnt ask for: Vestland hosts, Borås applies.
VESTLAND_RECIPROCAL = dict(
    title="Reciprocal job shadowing: NAV and county cooperation for young people in Vestland",
    exchange_type="job-shadowing",
    themes=["neet-re-engagement", "inter-agency-cooperation", "guidance-counselling", "inclusion"],
    target_group="staff",
    languages=["no", "en"],
    description=(
        "Vestland County Council and NAV offices in Bergen open their follow-up work with young "
        "people outside education and work to colleagues from partner regions.\n\n"
        "Visitors follow the county's follow-up service and a NAV youth team for two days: "
        "joint case meetings, the shared mapping tool, and the agreements that let the county, "
        "NAV and the schools share information. The visit continues the exchange with Borås "
        "Stad begun in May 2025 and is open to other regions too."
    ),
    programme=(
        "Day 1: the Norwegian model (county follow-up service and NAV); shadowing of case "
        "meetings.\nDay 2: visit to an upper-secondary school's support team; reflection."
    ),
    practical_information="We meet at the county offices in Bergen; the programme is in English.",
    costs_note="No fee; travel and accommodation are paid by the sending organisation.",
    fixed_dates=False,
    duration_days=Decimal("2"),
    capacity=3,
    supports_fewer_opportunities=False,
)

BORAS_RECIPROCAL_APPLICATION = dict(
    motivation=(
        "Hosting Vestland in May 2025 gave us insight into the Norwegian NAV system and "
        "multi-level cooperation, and both sides wanted a reciprocal visit. We would like to "
        "see how the county, NAV and the schools share information and follow up each young "
        "person, and to take ideas back to our Multicompetent Team."
    ),
    participants=2,
    fewer_opportunity_participants=0,
    participant_roles=(
        "The international coordinator and one job coach of the Multicompetent Team."
    ),
    languages=["sv", "en"],
)

# The exchange as it took place (seed/000_fe1137427a79b48e.txt): 12–13 May 2025, completed,
# both follow-ups written and the case study published by the secretariat. (date, hour) pairs
# are when each step happened; the seed_demo's history rows carry them.
BORAS_EXCHANGE = dict(
    participants=3,
    programme=(
        "Monday 12 May, morning: welcome at the Working Life Department; Borås' strategy for "
        "inclusive employment and how the Multicompetent Team works with the Public Employment "
        "Service, the social services and health care.\n"
        "Monday 12 May, afternoon: shadowing of real follow-up meetings in pairs with job "
        "coaches and guidance counsellors; personalised support plans.\n"
        "Tuesday 13 May, morning: motivational interviewing and ACT guidance in practice; "
        "mapping tools; reflection on what Vestland and NAV can adapt. Lunch and departure."
    ),
    practical_notes=(
        "Arrival in Borås on Sunday 11 May; the programme ends with lunch on Tuesday 13 May. "
        "We meet at 08:30 on Monday at the Working Life Department in central Borås. Borås is "
        "about 40 minutes by bus from Göteborg Landvetter Airport. The programme runs in "
        "English; Scandinavian colleagues are welcome to speak their own language. The people "
        "whose follow-up meetings you observe have agreed to it; please take no notes of names."
    ),
    completed=(datetime.date(2025, 5, 13), 15),
)

# "The Exchange" in the seed, paragraph by paragraph (without its bold type).
SEED_EXCHANGE_FOCUS = (
    "The job shadowing focused on creating inclusive pathways to re-engage those outside "
    "education and employment."
)
SEED_EXCHANGE_ORIGIN = (
    "During an EARLALL network meeting, the Vestland County Council learned about Borås "
    "Municipality's Multicompetent Team project. As they were developing a similar initiative "
    "in collaboration with NAV (Norwegian Labour and Welfare Administration), they saw a "
    "valuable opportunity for exchange and submitted their application through the EARLALL's "
    "Mobility Matchmaking Tool to take part in the job shadowing experience."
)
SEED_EXCHANGE_PREPARATION = (
    "Following the match, the institutions began preparing for the visit on 12-13 May 2025."
)
SEED_EXCHANGE_PROGRAMME = (
    "The programme offered valuable insight into Borås' inclusive employment strategies, "
    "showcasing effective inter-agency cooperation, personalised support, and tools like "
    "motivational interviewing and ACT guidance. Vestland participants observed real follow-up "
    "meetings and gained practical knowledge to apply in their own context."
)
SEED_EXCHANGE_NEXT = (
    "Following the exchange, the Vestland team is already exploring how to adapt several "
    "aspects of Borås' approach in their own regional context. This includes introducing new "
    "methodologies like motivational interviews and mapping, and improving information flow "
    "across organisations."
)

SEED_HOST_LESSONS = (
    "Identified shared challenges in skills matching and inclusive education across regions.\n"
    "Gained valuable insight into the Norwegian NAV system and multi-level cooperation.\n"
    "Strengthened interest in reciprocal job shadowing opportunities with Vestland."
)
SEED_PARTICIPANT_LESSONS = (
    "Discovered innovative person-centred methods in Borås, such as motivational interviews "
    "and ACT guidance.\n"
    "Inspired to improve inter-agency information flow and coordination in regional projects.\n"
    "Identified clear potential for future collaboration, including opportunities for schools "
    "to participate."
)

SEED_HOST_HOPE = (
    "We hope to visit Vestland in the near future and continue this knowledge exchange."
)

# The quotes, attributed exactly as in the seed; both agreed to be published.
WALLER_QUOTE = dict(
    person_name="Nicholas Waller",
    role="International Coordinator, Working Life Department",
    organisation_name="Borås Stad (Sweden)",
    text=(
        "We were very pleased to host Vestland and show how we support individuals who are "
        "furthest from the labour market. We were also curious to learn from our Norwegian "
        "colleagues and see how another Scandinavian country structures this work. "
        + SEED_HOST_HOPE
    ),
    consent=True,
    public=True,
)
HILLESTAD_BARGARD_QUOTE = dict(
    person_name="Ingrid Hillestad Bårgard",
    role=("Advisor, Section for Quality in Education, Department for Education and Competence"),
    organisation_name="Vestland County Council (Norway)",
    text=(
        "We left Borås full of ideas. The way your systems focus on collaboration and the "
        "individual journey is something we’re now looking to build into our own structures."
    ),
    consent=True,
    public=True,
)

# Each side's follow-up: "host" is written by Borås, "sending" by Vestland.
BORAS_FOLLOW_UPS = {
    "host": dict(
        account="\n\n".join([SEED_EXCHANGE_FOCUS, SEED_EXCHANGE_PROGRAMME]),
        lessons=SEED_HOST_LESSONS,
        next_steps=SEED_HOST_HOPE,
        wants_reciprocal_visit=True,
        quotes=[WALLER_QUOTE],
        submitted=(datetime.date(2025, 5, 20), 10),
    ),
    "sending": dict(
        account="\n\n".join([SEED_EXCHANGE_ORIGIN, SEED_EXCHANGE_PREPARATION]),
        lessons=SEED_PARTICIPANT_LESSONS,
        next_steps=(
            "We are exploring how to adapt several aspects of Borås' approach in our own "
            "regional context: introducing new methodologies like motivational interviews and "
            "mapping, and improving information flow across organisations, together with NAV."
        ),
        wants_reciprocal_visit=True,
        quotes=[HILLESTAD_BARGARD_QUOTE],
        submitted=(datetime.date(2025, 5, 22), 13),
    ),
}

# The case study as the secretariat edited and published it: the seed's one-pager.
BORAS_CASE_STUDY = dict(
    slug="job-shadowing-reintegrating-individuals-into-education-and-work",
    title="Job Shadowing: reintegrating individuals into education and work",
    theme="inclusion",
    summary="\n\n".join(
        [
            SEED_EXCHANGE_FOCUS,
            SEED_EXCHANGE_ORIGIN,
            SEED_EXCHANGE_PREPARATION,
            SEED_EXCHANGE_PROGRAMME,
        ]
    ),
    host_lessons=SEED_HOST_LESSONS,
    participant_lessons=SEED_PARTICIPANT_LESSONS,
    next_steps="\n\n".join(
        [
            SEED_EXCHANGE_NEXT,
            "Borås Stad hopes to visit Vestland in the near future and continue this knowledge "
            "exchange; both sides want a reciprocal job shadowing.",
        ]
    ),
    created=(datetime.date(2025, 5, 22), 13),
    published=(datetime.date(2025, 6, 16), 10),
)
