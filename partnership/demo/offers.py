"""Building blocks of the demo offers and applications: per exchange type and per theme.

seed_demo composes titles, descriptions, programmes and motivations from these with a seeded
random generator, so the catalogue reads like real offers and is the same on every run.
"""

from decimal import Decimal

D = Decimal

# Which exchange types an organisation of each kind hosts; the first is its signature type,
# so that every type appears in the catalogue.
TYPES_BY_KIND = {
    "authority": ["study-visit", "job-shadowing"],
    "employment_service": ["job-shadowing", "study-visit", "adult-learner"],
    "vet": ["vet-learner", "apprenticeship", "teaching-training", "job-shadowing"],
    "school": ["teaching-training", "vet-learner", "youth-informal", "study-visit"],
    "adult_education": ["adult-learner", "teaching-training", "job-shadowing"],
    "higher_education": ["higher-education-student", "teaching-training", "study-visit"],
    "ngo": ["youth-informal", "adult-learner", "job-shadowing"],
    "employer": ["apprenticeship", "vet-learner", "study-visit"],
}

# title: the offer's title ({topic}, {sector}, {city}); intro: its first paragraph.
EXCHANGE_TYPES = {
    "job-shadowing": dict(
        target="staff",
        durations=[D("1.5"), D("3"), D("5")],
        capacity=(2, 5),
        themes=[
            "inclusion",
            "neet-re-engagement",
            "guidance-counselling",
            "inter-agency-cooperation",
            "motivational-interviewing",
            "migrant-integration",
            "validation-prior-learning",
            "quality-assurance",
        ],
        titles=["Job shadowing in {city}: {topic}", "Job shadowing in {region}: {topic}"],
        intro=(
            "Staff from partner organisations follow our team for {days} days and take part "
            "in its everyday work: case meetings, guidance sessions and cooperation meetings "
            "with partner agencies. Each visitor is paired with a colleague who does the same "
            "job here."
        ),
        programme=(
            "Day 1: welcome, presentation of {host} and of how the service is organised; "
            "shadowing in pairs.\nFollowing days: shadowing of meetings with clients and "
            "partner agencies; a visit to a partner organisation.\nLast session: "
            "reflection and plans for transfer to your own context."
        ),
    ),
    "study-visit": dict(
        target="staff",
        durations=[D("1.5"), D("3"), D("5")],
        capacity=(4, 15),
        themes=[
            "work-based-learning",
            "quality-assurance",
            "green-skills",
            "digital-skills",
            "inter-agency-cooperation",
            "validation-prior-learning",
            "inclusion",
            "neet-re-engagement",
        ],
        titles=["Study visit: {topic} in {region}", "Study visit to {city}: {topic}"],
        intro=(
            "A compact programme of presentations, site visits and discussions with "
            "practitioners, managers, employers and learners, for policy makers and staff of "
            "VET providers, authorities and employment services."
        ),
        programme=(
            "Day 1: the regional system in brief, with questions to the people who run "
            "it.\nDay 2: visits to two providers and one company; lunch with learners.\n"
            "Final session: exchange of practice and ideas for joint projects."
        ),
    ),
    "teaching-training": dict(
        target="staff",
        durations=[D("5"), D("10")],
        capacity=(1, 4),
        themes=[
            "teacher-trainer-development",
            "digital-skills",
            "green-skills",
            "languages",
            "work-based-learning",
            "inclusion",
        ],
        titles=[
            "Teaching assignment in {city}: {topic}",
            "Train-the-trainer week in {city}: {topic}",
        ],
        intro=(
            "Visiting teachers or in-company trainers co-teach classes with our staff for "
            "{days} days, bring their own methods and observe ours. Lessons are prepared "
            "together in advance, online."
        ),
        programme=(
            "Before: two online planning meetings with your co-teacher.\nOn site: "
            "co-teaching every day, observation of colleagues, a workshop for our staff "
            "led by the visitors.\nAfter: a joint short report for both schools."
        ),
    ),
    "vet-learner": dict(
        target="learners",
        durations=[D("14"), D("21"), D("30")],
        capacity=(4, 12),
        themes=["work-based-learning", "languages", "green-skills", "digital-skills", "inclusion"],
        titles=["VET placement in {sector}, {city}", "Work placement abroad: {sector} in {city}"],
        intro=(
            "VET learners spend {days} days in {city}: a work placement in a local company "
            "in {sector}, supervised by a workplace mentor, with a weekly meeting with our "
            "mobility coordinator and a short language and culture course."
        ),
        programme=(
            "Week 1: induction at the school, language and culture sessions, first days "
            "at the company.\nFollowing weeks: placement four days a week; one day at "
            "the school for reflection and learning-outcome documentation.\nLast day: "
            "presentation of the learning agreement results and Europass Mobility."
        ),
    ),
    "apprenticeship": dict(
        target="learners",
        durations=[D("30"), D("90")],
        capacity=(1, 4),
        themes=[
            "work-based-learning",
            "languages",
            "green-skills",
            "digital-skills",
            "quality-assurance",
        ],
        titles=[
            "Apprenticeship mobility: {sector} in {city}",
            "Long-term apprentice placement in {region}: {sector}",
        ],
        intro=(
            "Apprentices join one of our member companies in {sector} for a long-term "
            "placement of {days} days (ErasmusPro). They work with a qualified trainer and "
            "follow the training plan agreed with their home company and school."
        ),
        programme=(
            "Month 1: induction, safety training, language course twice a week.\nThen: "
            "full-time work in the host company with a monthly progress review.\nEnd: "
            "assessment of the learning outcomes with the home trainer, online."
        ),
    ),
    "adult-learner": dict(
        target="learners",
        durations=[D("5"), D("10"), D("14")],
        capacity=(4, 12),
        themes=[
            "adult-basic-skills",
            "migrant-integration",
            "digital-skills",
            "languages",
            "validation-prior-learning",
            "inclusion",
        ],
        titles=["Adult learners' mobility to {city}: {topic}", "Learning week in {city}: {topic}"],
        intro=(
            "A group mobility of {days} days for adult learners with their teacher: joint "
            "lessons with our learners, practical workshops and visits that make the course "
            "content real."
        ),
        programme=(
            "Mornings: joint workshops with our learners.\nAfternoons: visits to "
            "workplaces, the library and community centres.\nLast day: learners present "
            "what they learnt; certificates."
        ),
    ),
    "higher-education-student": dict(
        target="learners",
        durations=[D("60"), D("90")],
        capacity=(2, 6),
        themes=[
            "teacher-trainer-development",
            "inclusion",
            "guidance-counselling",
            "migrant-integration",
            "digital-skills",
        ],
        titles=[
            "Student traineeship in {region}: {topic}",
            "Traineeship semester in {city}: {topic}",
        ],
        intro=(
            "Bachelor students do a traineeship of {days} days in one of our partner "
            "schools or services, supervised by a lecturer and a field mentor, with credits "
            "recognised through the learning agreement."
        ),
        programme=(
            "Week 1: introduction and course on the host country's system.\nThen: "
            "traineeship four days a week; one seminar day a week at the college.\nEnd: "
            "traineeship report and evaluation."
        ),
    ),
    "youth-informal": dict(
        target="learners",
        durations=[D("5"), D("7"), D("10")],
        capacity=(6, 20),
        themes=[
            "inclusion",
            "neet-re-engagement",
            "languages",
            "green-skills",
            "migrant-integration",
        ],
        titles=["Youth exchange in {region}: {topic}", "Youth exchange in {city}: {topic}"],
        intro=(
            "A youth exchange of {days} days for young people aged 16 to 25 and their "
            "youth workers: non-formal learning through workshops, outdoor activities and a "
            "small project made together with young people from {city}."
        ),
        programme=(
            "Day 1: getting to know each other, expectations and group rules.\nMiddle "
            "days: workshops, a joint community project, an excursion.\nLast day: "
            "evaluation and Youthpass."
        ),
    ),
}

# slug: (title topic, a paragraph for the description, a sentence for a motivation)
THEMES = {
    "inclusion": (
        "inclusive learning pathways",
        "We work with learners and clients who need more than the standard offer: flexible "
        "timetables, mentors, adapted materials and close contact with families and services.",
        "we want to make our own pathways more inclusive for people who drop out of the "
        "standard offer",
    ),
    "neet-re-engagement": (
        "re-engaging young people outside education and work",
        "Outreach, individual follow-up and short routes back into training for young people "
        "who are neither in education, employment nor training are at the heart of this offer.",
        "we are building a new service for young people who are not in education, employment "
        "or training and want to see how others reach them",
    ),
    "guidance-counselling": (
        "career guidance and counselling",
        "Our guidance counsellors combine career guidance with personal support, and guidance "
        "is available to adults as well as young people.",
        "our guidance counsellors want to learn new ways of supporting career decisions",
    ),
    "inter-agency-cooperation": (
        "inter-agency cooperation",
        "Schools, the employment service, social services and health care share one plan per "
        "person; you will see how information flows between them and who decides what.",
        "cooperation and information flow between the agencies in our region still has gaps",
    ),
    "motivational-interviewing": (
        "motivational interviewing in practice",
        "Staff use motivational interviewing and ACT-based guidance in everyday meetings; you "
        "will observe conversations and try the techniques in role play.",
        "we are introducing motivational interviewing and want to see it used every day",
    ),
    "work-based-learning": (
        "work-based learning with local employers",
        "Learning at the workplace is planned with employers: shared training plans, trained "
        "workplace mentors and regular three-party meetings.",
        "we want to involve more employers in work-based learning and apprenticeships",
    ),
    "validation-prior-learning": (
        "validation of prior learning",
        "Adults can have what they learnt at work or abroad assessed and recognised, and then "
        "complete a qualification with a shortened, personal study plan.",
        "we are setting up validation of prior learning for adults in our region",
    ),
    "digital-skills": (
        "digital skills for learners and staff",
        "Digital tools are part of every programme, from basic skills for adults to industry "
        "software; staff are trained in digital pedagogy.",
        "improving the digital skills of our learners and teachers is a priority this year",
    ),
    "green-skills": (
        "green skills for the energy transition",
        "Programmes have been updated for renewable energy, energy-efficient building and the "
        "circular economy, with companies that lead the transition.",
        "our programmes must prepare learners for the green transition of local industry",
    ),
    "languages": (
        "language learning for mobility",
        "Language learning is built into vocational programmes so that learners are ready for "
        "a placement abroad and for international workplaces.",
        "our learners need language skills before and during a stay abroad",
    ),
    "adult-basic-skills": (
        "basic skills for adults",
        "Literacy, numeracy and digital basics are taught in short, practical modules linked to "
        "work and daily life.",
        "many adults in our courses lack basic skills and we want better methods",
    ),
    "migrant-integration": (
        "integration of newly arrived migrants",
        "Newly arrived adults combine language learning with vocational training and work "
        "placements from their first months in the country.",
        "a growing share of our learners are newly arrived and need combined language and "
        "vocational routes",
    ),
    "teacher-trainer-development": (
        "developing teachers and in-company trainers",
        "Teachers and in-company trainers learn from each other through co-teaching, peer "
        "observation and joint training days.",
        "our teachers and trainers asked for professional development abroad",
    ),
    "quality-assurance": (
        "quality assurance in VET",
        "Learner feedback, employer surveys and peer review feed a yearly quality plan; you "
        "will see the tools and how the results are used.",
        "we are reviewing our quality assurance and want to compare practice",
    ),
}

FEWER_OPPORTUNITIES_SUPPORT = [
    "A mentor accompanies participants every day; the venue and the accommodation are "
    "accessible to wheelchair users.",
    "Adapted materials in easy language, a quiet room, and a preparatory online meeting "
    "with each participant before arrival.",
    "An accompanying person's costs can be planned with us; a youth worker is available "
    "every day and in the evenings.",
    "Flexible daily schedule for participants with health problems and help to arrange "
    "medical care locally if needed.",
    "Individual preparation with our inclusion officer and a buddy from our own learners "
    "for the whole stay.",
]

PRACTICAL_INFORMATION = [
    "We meet on the first morning at our main building in {city}; the address and a map are "
    "sent after acceptance. We can recommend hotels within walking distance.",
    "{city} is easy to reach by train and bus. We help to find accommodation and arrange "
    "local transport between the sites of the programme.",
    "Lunch is offered on programme days. Please tell us about dietary needs and access "
    "requirements when you apply.",
]

COSTS = [
    "The host charges no fee. Travel, accommodation and subsistence are paid by the "
    "sending organisation, typically from its Erasmus+ grant.",
    "No programme fee. Participants arrange their travel and stay with their Erasmus+ or "
    "regional mobility grant.",
    "A contribution to materials may be asked for learner placements; we send a budget on request.",
]

# Who a sending organisation of each kind sends: staff (plural) and learners.
STAFF_ROLES = {
    "authority": ["policy advisors", "project managers", "guidance coordinators"],
    "employment_service": ["case workers", "vocational counsellors", "job coaches"],
    "vet": ["VET teachers", "in-company training coordinators", "guidance counsellors"],
    "school": ["teachers", "school leaders", "guidance counsellors"],
    "adult_education": ["adult-education teachers", "guidance counsellors"],
    "higher_education": ["lecturers", "placement coordinators"],
    "ngo": ["youth workers", "mentors"],
    "employer": ["in-company trainers", "training managers"],
}

LEARNER_ROLES = {
    "authority": "Learners from VET schools in our region, with one accompanying teacher.",
    "employment_service": "Adult jobseekers in training, with one accompanying counsellor.",
    "vet": "VET learners in their second year, with one accompanying teacher.",
    "school": "Learners from our vocational classes, with one accompanying teacher.",
    "adult_education": "Adult learners, with one accompanying teacher.",
    "higher_education": "Bachelor students in their third year.",
    "ngo": "Young people from our youth centres, with a youth worker.",
    "employer": "Apprentices, with their in-company trainers' agreement.",
}

MOTIVATION = (
    "{sender} would like to take part because {reason}. {offer_reason} We would send "
    "{count} and will share what we learn with colleagues in {region}."
)

OFFER_REASON = {
    "staff": "The programme fits our current development work and we can apply it at once.",
    "learners": "The placement matches our learners' programme and their learning agreement.",
}

DECISION_MESSAGES = {
    "shortlisted": [
        "Thank you, we would like a short online call to plan the dates.",
        "Your application is on our shortlist; we will decide within two weeks.",
    ],
    "accepted": [
        "Welcome! We will send the detailed programme and practical information soon.",
        "We are glad to host you; our coordinator will contact you about the dates.",
    ],
    "declined": [
        "Thank you for your interest. The places have gone to applications closer to "
        "the offer's themes this time; we hope to host you in a later round."
    ],
    "withdrawn": [
        "Our participants' dates changed and we cannot travel this time.",
        "We have to withdraw because our funding was not confirmed.",
    ],
}
