"""The demo's interest profiles: what some organisations look for as sending organisations.

Vestland's profile is the seed's story going on: after the 2025 job shadowing in Borås it
looks for more of the same, and Borås's new round is among the offers recommended to it.
Windows are in days from today, like the offers' (see plan); ``None`` means any time.
"""

P = dict  # one profile per entry, kept short

PROFILES = [
    P(
        organisation="vestland",
        name="Job shadowing on re-engaging young people",
        exchange_types=["job-shadowing", "study-visit"],
        themes=[
            "inclusion",
            "neet-re-engagement",
            "inter-agency-cooperation",
            "motivational-interviewing",
            "guidance-counselling",
        ],
        languages=["en", "no", "sv"],
        countries=[],
        window=(30, 120),
        participants=3,
        fewer_opportunity_participants=1,
        alert="immediately",
        description=(
            "Vestland County Council and NAV are building a joint follow-up service for young "
            "people and adults outside education and work. We want to see how other regions "
            "organise inter-agency cooperation, personalised support and follow-up meetings, and "
            "how they use motivational interviewing with young people."
        ),
    ),
    P(
        organisation="boras",
        name="Reciprocal visits on youth follow-up",
        exchange_types=["job-shadowing"],
        themes=["neet-re-engagement", "inter-agency-cooperation", "guidance-counselling"],
        languages=["sv", "en", "no"],
        countries=["NO", "DK", "FI"],
        window=None,
        participants=2,
        fewer_opportunity_participants=0,
        alert="weekly",
        description=(
            "The Multicompetent Team wants to learn how Nordic partners share information between "
            "the municipality, the employment service and the schools."
        ),
    ),
    P(
        organisation="catalonia",
        name="Guidance counsellors abroad",
        exchange_types=["job-shadowing", "study-visit"],
        themes=["guidance-counselling", "neet-re-engagement", "inclusion"],
        languages=["en", "es", "ca"],
        countries=[],
        window=(20, 150),
        participants=2,
        fewer_opportunity_participants=0,
        alert="weekly",
        description=(
            "Our VET guidance service looks for job shadowing of career guidance for young "
            "people at risk of early leaving."
        ),
    ),
    P(
        organisation="rogaland",
        name="Follow-up service exchanges",
        exchange_types=["job-shadowing"],
        themes=["neet-re-engagement", "inter-agency-cooperation"],
        languages=["en", "no"],
        countries=["SE", "DK", "FI"],
        window=(30, 90),
        participants=2,
        fewer_opportunity_participants=0,
        alert="immediately",
        description="Follow-up of young people who drop out of upper-secondary school.",
    ),
    P(
        organisation="lower-silesia",
        name="Counsellors' study visits",
        exchange_types=["study-visit", "job-shadowing"],
        themes=["guidance-counselling", "validation-prior-learning", "inclusion"],
        languages=["en", "pl"],
        countries=[],
        window=None,
        participants=2,
        fewer_opportunity_participants=0,
        alert="off",
        description="Vocational counsellors of the county labour offices.",
    ),
    P(
        organisation="tampere-vet",
        name="Placements for VET learners",
        exchange_types=["vet-learner", "apprenticeship"],
        themes=["work-based-learning", "green-skills", "languages"],
        languages=["en", "fi", "sv"],
        countries=[],
        window=(30, 240),
        participants=6,
        fewer_opportunity_participants=2,
        alert="weekly",
        description="Work placements abroad for second-year learners in technical programmes.",
    ),
    P(
        organisation="basque-inclusion",
        name="Youth exchanges for inclusion",
        exchange_types=["youth-informal", "adult-learner"],
        themes=["inclusion", "migrant-integration", "neet-re-engagement"],
        languages=["en", "es", "eu"],
        countries=[],
        window=None,
        participants=8,
        fewer_opportunity_participants=4,
        alert="immediately",
        description="Youth exchanges and group mobility for young people with fewer opportunities.",
    ),
]
