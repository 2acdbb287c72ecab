"""The vocabularies the product starts with (DESIGN.md); the secretariat edits them in the admin.

Names are marked with gettext_noop so that they enter the translation catalogue; models show
them through gettext.
"""

from django.utils.translation import gettext_noop as _

EXCHANGE_TYPES = [
    ("job-shadowing", _("Job shadowing")),
    ("study-visit", _("Study visit")),
    ("teaching-training", _("Teaching or training assignment")),
    ("vet-learner", _("VET learner mobility")),
    ("apprenticeship", _("Apprenticeship mobility")),
    ("adult-learner", _("Adult learner mobility")),
    ("higher-education-student", _("Higher-education student mobility")),
    ("youth-informal", _("Youth / informal-education mobility")),
]

# Each exchange type's Erasmus+ activity code (and the one from 90 days where the programme has
# one), whether it is staff or learner mobility, and of which sector. Codes are those of the
# Beneficiary Module; a type with no programme code of its own has "".
EXCHANGE_TYPE_CODES = {
    "job-shadowing": ("SM-JOB-SHDW", "", "staff", "vet"),
    "study-visit": ("", "", "staff", "adult"),
    "teaching-training": ("SM-TTA", "", "staff", "vet"),
    "vet-learner": ("LM-SHORT-VET", "LM-LONG-VET", "learners", "vet"),
    "apprenticeship": ("LM-SHORT-VET", "LM-LONG-VET", "learners", "vet"),
    "adult-learner": ("", "", "learners", "adult"),
    "higher-education-student": ("", "", "learners", "higher"),
    "youth-informal": ("", "", "learners", "youth"),
}

FEWER_OPPORTUNITY_CATEGORIES = [
    ("disabilities", _("Disabilities")),
    ("health-problems", _("Health problems")),
    ("education-barriers", _("Barriers linked to education and training systems")),
    ("cultural-differences", _("Cultural differences")),
    ("social-barriers", _("Social barriers")),
    ("economic-barriers", _("Economic barriers")),
    ("discrimination", _("Barriers linked to discrimination")),
    ("geographical-barriers", _("Geographical barriers")),
]

FIELDS_OF_EDUCATION = [
    ("00", _("Generic programmes and qualifications")),
    ("01", _("Education")),
    ("02", _("Arts and humanities")),
    ("03", _("Social sciences, journalism and information")),
    ("04", _("Business, administration and law")),
    ("05", _("Natural sciences, mathematics and statistics")),
    ("06", _("Information and communication technologies")),
    ("07", _("Engineering, manufacturing and construction")),
    ("08", _("Agriculture, forestry, fisheries and veterinary")),
    ("09", _("Health and welfare")),
    ("10", _("Services")),
]

THEMES = [
    ("inclusion", _("Inclusion")),
    ("neet-re-engagement", _("NEET re-engagement")),
    ("guidance-counselling", _("Guidance and counselling")),
    ("inter-agency-cooperation", _("Inter-agency cooperation")),
    ("motivational-interviewing", _("Motivational interviewing")),
    ("work-based-learning", _("Work-based learning and apprenticeships")),
    ("validation-prior-learning", _("Validation of prior learning")),
    ("digital-skills", _("Digital skills")),
    ("green-skills", _("Green skills")),
    ("languages", _("Languages")),
    ("adult-basic-skills", _("Adult basic skills")),
    ("migrant-integration", _("Migrant integration")),
    ("teacher-trainer-development", _("Teacher and trainer development")),
    ("quality-assurance", _("Quality assurance")),
]

# Working languages: the EU's official languages and those of the partnership's other regions.
LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("ca", _("Catalan")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("eu", _("Basque")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("gl", _("Galician")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("is", _("Icelandic")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("no", _("Norwegian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
]
