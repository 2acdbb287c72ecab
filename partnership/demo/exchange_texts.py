"""What the demo's other exchanges say afterwards.

A second good-practice story, invented for the demo like the organisations it involves: the
Basque Inclusion Foundation sent four second-chance learners to Sjuhärad Vocational College
for a two-week placement in logistics, three of them with fewer opportunities. Its dates are
relative to the day the demo is seeded (``start`` days from today).

The follow-ups of the generated exchanges are composed from the templates below with the
exchange's organisations and the offer's first theme.
"""

from decimal import Decimal

# The offer and the application; seed_demo writes them like the other offers.
LEARNERS_OFFER = dict(
    title="Inclusive VET placement in logistics and warehousing, Borås",
    exchange_type="vet-learner",
    themes=["inclusion", "work-based-learning", "languages"],
    target_group="learners",
    languages=["en", "sv"],
    description=(
        "Learners from partner organisations spend two weeks in Borås: a work placement in one "
        "of the logistics companies of the Sjuhärad area, supervised by a workplace mentor, "
        "with a daily check-in at the college.\n\n"
        "The placement is designed for learners who need more support than the standard "
        "offer: small groups, a mentor who meets them every day, and tasks that grow with "
        "their confidence. Their accompanying youth worker stays for the whole placement."
    ),
    programme=(
        "Days 1–2: induction at the college, safety training, a visit to the companies.\n"
        "Days 3–12: placement four days a week, one day at the college for Swedish and "
        "reflection.\nDays 13–14: presentation of what each learner did; Europass Mobility."
    ),
    practical_information=(
        "Accommodation in the college's guest flats, five minutes' walk from the campus; "
        "lunch in the college canteen on placement days."
    ),
    costs_note="No fee; the sending organisation pays travel, accommodation and meals.",
    fixed_dates=True,
    duration_days=Decimal("14"),
    capacity=4,
    supports_fewer_opportunities=True,
    fewer_opportunities_support=(
        "A mentor accompanies participants every day; individual preparation with our "
        "inclusion officer before arrival; an accompanying youth worker's costs can be planned."
    ),
)
LEARNERS_START = -130  # days from today: a past exchange
LEARNERS_APPLICATION = dict(
    motivation=(
        "Basque Inclusion Foundation runs second-chance training for young people who left "
        "school early. A placement abroad, with close support, is the step that shows them "
        "what they can do. We would send four learners from our logistics course and their "
        "youth worker."
    ),
    participants=4,
    fewer_opportunity_participants=3,
    participant_roles="Four learners from our second-chance logistics course, with a youth worker.",
    languages=["en"],
)
# Confirmed after planning: per category, never names. A learner may face several barriers.
LEARNERS_COUNTS = {"education-barriers": 3, "economic-barriers": 2}

LEARNERS_FOLLOW_UPS = {
    "host": dict(
        account=(
            "Four learners from the Basque Inclusion Foundation's second-chance course spent "
            "two weeks with three logistics companies near Borås. Each had a workplace mentor "
            "and met our placement coordinator every morning; their youth worker joined the "
            "check-ins."
        ),
        lessons=(
            "Short daily check-ins mattered more than a long weekly meeting.\n"
            "Our mentors need a briefing on working with learners with fewer opportunities.\n"
            "Tasks that grow step by step keep learners motivated."
        ),
        next_steps="We will train our workplace mentors before the next placement.",
        wants_reciprocal_visit=False,
        quotes=[
            dict(
                person_name="Erik Lindqvist",
                role="Workplace mentor",
                organisation_name="A logistics company in Borås",
                text="By the second week they were planning the morning picking rounds themselves.",
                consent=False,
                public=False,
            )
        ],
        submitted=6,  # days after the end
    ),
    "sending": dict(
        account=(
            "For all four learners it was their first stay abroad. They worked in warehouses, "
            "learnt the companies' scanning systems and presented their work to the college on "
            "the last day."
        ),
        lessons=(
            "A learner who struggled at school can shine in a real workplace.\n"
            "Preparing the journey together removed most of the learners' worries.\n"
            "A youth worker on site makes a long placement possible for our learners."
        ),
        next_steps=(
            "We will send a second group next year and share our preparation plan with other "
            "second-chance schools in Bizkaia."
        ),
        wants_reciprocal_visit=False,
        quotes=[
            dict(
                person_name="Miren Goikoetxea",
                role="Youth worker and mobility coordinator",
                organisation_name="Basque Inclusion Foundation (Spain)",
                text=(
                    "Our learners came home with a reference letter and the confidence that they "
                    "can work anywhere."
                ),
                consent=True,
                public=True,
            )
        ],
        submitted=9,
    ),
}
LEARNERS_CASE_STUDY = dict(
    title="VET placement: second-chance learners in Borås' logistics companies",
    theme="inclusion",
    published=30,  # days after the end
)

# The generated exchanges: {host}, {sender}, {topic} (the offer's first theme), {days}.
HOST_ACCOUNT = (
    "We hosted colleagues from {sender} for {days} days. They followed our team's everyday "
    "work on {topic} and met people from our partner organisations; each day ended with a "
    "short reflection together."
)
SENDING_ACCOUNT = (
    "We spent {days} days with {host}. We saw {topic} in practice, asked many questions and "
    "compared it with how the work is organised at home."
)
HOST_LESSONS = (
    "Explaining our routines to visitors made us question some of them.\n"
    "Our partners face the same challenges with {topic}.\n"
    "A joint online meeting two weeks before makes hosting easier to plan."
)
SENDING_LESSONS = (
    "The work goes best when every partner knows who does what.\n"
    "Concrete tools we can adapt: the meeting routines and the shared planning templates.\n"
    "Time with practitioners, not only with managers, was the most valuable part."
)
HOST_NEXT_STEPS = "We will share the visitors' feedback with our team and stay in touch."
SENDING_NEXT_STEPS = (
    "We will present what we learnt to our colleagues and test one of the tools this year."
)


def draft_quote(side, names):
    """A quote in each follow-up of a draft case study, for the secretariat to review: the
    host's person agreed to be published, the participant did not (yet)."""
    if side == "host":
        return dict(
            person_name="Lucía Fernández",
            role="Quality coordinator",
            organisation_name=names["host"],
            text="Their questions made us write down routines we had never explained to anyone.",
            consent=True,
            public=False,
        )
    return dict(
        person_name="Ola Nordmann",
        role="Participant, adult education teacher",
        organisation_name=names["sender"],
        text="I came home with three routines I could try with my own team the next Monday.",
        consent=False,
        public=False,
    )
