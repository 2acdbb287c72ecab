"""The organisations of the demo site: plausible members of EARLALL's Regional Skills Partnership.

Borås Stad and Vestland County Council are the two sides of the seed's case study; the others
are invented for the demo (regions, NUTS codes and cities are real, the schools and offices and
their people are not). ``person`` is the organisation's demo coordinator; ``sectors`` name the
trades in which a VET provider, school or employer places learners.
"""

O = dict  # noqa: E741 (one organisation per entry, kept short)

ORGANISATIONS = [
    O(
        key="boras",
        name="Borås Stad",
        kind="authority",
        country="SE",
        region="Västra Götaland",
        nuts="SE232",
        city="Borås",
        languages=["sv", "en"],
        website="https://www.boras.se",
        person=("Nicholas", "Waller"),
        sectors=["social care", "retail"],
        description=(
            "Borås Stad is the municipality of Borås in Västra Götaland, western Sweden. Its "
            "Working Life Department (Arbetslivsförvaltningen) runs adult education, labour-market "
            "measures, guidance and the municipal youth follow-up for people who are outside "
            "education and work.\n\n"
            "The department's Multicompetent Team brings job coaches, guidance counsellors, social "
            "workers and health professionals together around each person who is furthest from the "
            "labour market. The team works with the Swedish Public Employment Service, the social "
            "services and regional health care, and uses personalised support plans, motivational "
            "interviewing and ACT-based guidance. The international coordinator hosts job shadowing "  # noqa: E501 (one translatable string)
            "for partner regions and looks for reciprocal visits."
        ),
    ),
    O(
        key="sjuharad",
        name="Sjuhärad Vocational College",
        kind="vet",
        country="SE",
        region="Västra Götaland",
        nuts="SE232",
        city="Borås",
        languages=["sv", "en"],
        person=("Karin", "Sjöberg"),
        sectors=["textile technology", "logistics", "health care"],
        description=(
            "A vocational college in the Sjuhärad area around Borås offering upper-secondary and "
            "higher vocational programmes in textile technology, logistics and health care. Work "
            "placements with regional companies are part of every programme."
        ),
    ),
    O(
        key="vestland",
        name="Vestland County Council",
        kind="authority",
        country="NO",
        region="Vestland",
        nuts="NO0A2",
        city="Bergen",
        languages=["no", "en"],
        website="https://www.vestlandfylke.no",
        person=("Øystein", "Helle"),
        sectors=["maritime trades", "health work"],
        description=(
            "Vestland County Council (Vestland fylkeskommune) is the regional authority for "
            "Vestland in western Norway, responsible for upper-secondary education, vocational "
            "training and apprenticeships.\n\n"
            "The Section for Quality in Education in the Department for Education and Competence "
            "works with NAV, the Norwegian Labour and Welfare Administration, to bring young people "  # noqa: E501 (one translatable string)
            "and adults outside education and work back into training, and uses job shadowing to "
            "learn from other regions."
        ),
    ),
    O(
        key="rogaland",
        name="Rogaland County Council",
        kind="authority",
        country="NO",
        region="Rogaland",
        nuts="NO0A1",
        city="Stavanger",
        languages=["no", "en"],
        person=("Silje", "Tjelta"),
        sectors=["energy", "industrial mechanics"],
        description=(
            "The county authority of Rogaland runs the region's upper-secondary schools and "
            "apprenticeship system. Its follow-up service contacts every young person who drops "
            "out of upper-secondary school."
        ),
    ),
    O(
        key="rogaland-training",
        name="Rogaland Industrial Training Office",
        kind="employer",
        country="NO",
        region="Rogaland",
        nuts="NO0A1",
        city="Sandnes",
        languages=["no", "en"],
        person=("Kjetil", "Sørbø"),
        sectors=["industrial mechanics", "automation", "welding"],
        description=(
            "A training office owned by forty industrial companies in Rogaland. It recruits, "
            "follows up and certifies apprentices in mechanical, automation and welding trades on "
            "behalf of its member companies."
        ),
    ),
    O(
        key="bergen-adult",
        name="Bergen Adult Learning Centre",
        kind="adult_education",
        country="NO",
        region="Vestland",
        nuts="NO0A2",
        city="Bergen",
        languages=["no", "en"],
        person=("Hanne", "Vik"),
        sectors=["health work", "child care"],
        description=(
            "Primary, lower-secondary and Norwegian-language education for adults in Bergen, "
            "including newly arrived refugees, with combined language and vocational courses in "
            "health work and child care."
        ),
    ),
    O(
        key="catalonia",
        name="Generalitat de Catalunya – Education and Vocational Training",
        kind="authority",
        country="ES",
        region="Catalonia",
        nuts="ES511",
        city="Barcelona",
        languages=["ca", "es", "en"],
        person=("Montserrat", "Puig"),
        sectors=["hospitality", "automotive"],
        description=(
            "The Catalan government's department responsible for schools and vocational education "
            "and training. Its mobility unit supports VET centres across Catalonia in Erasmus+ "
            "projects and in dual training with companies."
        ),
    ),
    O(
        key="montjuic",
        name="Montjuïc Vocational Training Institute",
        kind="vet",
        country="ES",
        region="Catalonia",
        nuts="ES511",
        city="Barcelona",
        languages=["ca", "es", "en"],
        person=("Jordi", "Ferrer"),
        sectors=["hospitality", "cookery", "tourism"],
        description=(
            "A public VET institute in Barcelona with programmes in hospitality, cookery and "
            "tourism. About 300 learners a year do part of their training in a company under the "
            "Catalan dual VET model."
        ),
    ),
    O(
        key="catalan-youth",
        name="Catalan Youth Mobility Network",
        kind="ngo",
        country="ES",
        region="Catalonia",
        nuts="ES512",
        city="Girona",
        languages=["ca", "es", "en", "fr"],
        person=("Laia", "Casals"),
        sectors=[],
        description=(
            "An association of youth centres and local councils in Catalonia that organises youth "
            "exchanges and volunteering, with a focus on young people with fewer opportunities."
        ),
    ),
    O(
        key="basque",
        name="Basque Government – Vice-Ministry of Vocational Training",
        kind="authority",
        country="ES",
        region="Basque Country",
        nuts="ES211",
        city="Vitoria-Gasteiz",
        languages=["eu", "es", "en"],
        person=("Iñaki", "Etxeberria"),
        sectors=["advanced manufacturing"],
        description=(
            "The Basque Government's vice-ministry in charge of vocational training, applied "
            "innovation in VET centres and the Basque strategy for lifelong learning."
        ),
    ),
    O(
        key="donostia-vet",
        name="Donostia Integrated VET Centre",
        kind="vet",
        country="ES",
        region="Basque Country",
        nuts="ES212",
        city="Donostia / San Sebastián",
        languages=["eu", "es", "en"],
        person=("Ane", "Aranburu"),
        sectors=["mechatronics", "renewable energy", "cookery"],
        description=(
            "An integrated centre offering initial VET for young people and training for employed "
            "and unemployed adults in mechatronics, renewable energy and cookery."
        ),
    ),
    O(
        key="basque-inclusion",
        name="Basque Inclusion Foundation",
        kind="ngo",
        country="ES",
        region="Basque Country",
        nuts="ES213",
        city="Bilbao",
        languages=["eu", "es", "en"],
        person=("Miren", "Goikoetxea"),
        sectors=[],
        description=(
            "A foundation running second-chance training, mentoring and supported employment for "
            "young people and adults at risk of social exclusion in Bizkaia."
        ),
    ),
    O(
        key="galicia",
        name="Xunta de Galicia – Directorate for Vocational Training",
        kind="authority",
        country="ES",
        region="Galicia",
        nuts="ES111",
        city="Santiago de Compostela",
        languages=["gl", "es", "en"],
        person=("Uxía", "Castro"),
        sectors=["fisheries"],
        description=(
            "The Galician government's directorate for vocational training, responsible for the "
            "network of VET centres and for validating the skills adults learnt at work."
        ),
    ),
    O(
        key="vigo-maritime",
        name="Vigo Maritime VET Centre",
        kind="vet",
        country="ES",
        region="Galicia",
        nuts="ES114",
        city="Vigo",
        languages=["gl", "es", "en", "pt"],
        person=("Brais", "Lorenzo"),
        sectors=["marine engineering", "aquaculture", "fisheries"],
        description=(
            "A VET centre in the port of Vigo training learners for marine engineering, "
            "aquaculture and fisheries, with training vessels and a fish-farming workshop."
        ),
    ),
    O(
        key="vdab-ghent",
        name="VDAB Ghent Competence Centre",
        kind="employment_service",
        country="BE",
        region="Flanders",
        nuts="BE234",
        city="Ghent",
        languages=["nl", "en", "fr"],
        person=("Pieter", "De Smet"),
        sectors=["logistics", "construction"],
        description=(
            "A competence centre of the Flemish public employment service that trains jobseekers "
            "and employees in logistics and construction and coaches jobseekers into work."
        ),
    ),
    O(
        key="ghent-adult",
        name="Ghent Centre for Adult Education",
        kind="adult_education",
        country="BE",
        region="Flanders",
        nuts="BE234",
        city="Ghent",
        languages=["nl", "en"],
        person=("Els", "Vermeulen"),
        sectors=["office work"],
        description=(
            "Dutch as a second language, basic skills, secondary-school qualifications and "
            "vocational courses for adults, with a large share of learners with a migrant "
            "background."
        ),
    ),
    O(
        key="ghent-college",
        name="Ghent University College of Applied Sciences",
        kind="higher_education",
        country="BE",
        region="Flanders",
        nuts="BE234",
        city="Ghent",
        languages=["nl", "en"],
        person=("Lotte", "Claes"),
        sectors=["social work", "education"],
        description=(
            "A university college training teachers, social workers and nurses; its students "
            "do work placements abroad as part of their bachelor's programmes."
        ),
    ),
    O(
        key="lombardy",
        name="Regione Lombardia – Directorate for Education, Training and Work",
        kind="authority",
        country="IT",
        region="Lombardy",
        nuts="ITC4C",
        city="Milan",
        languages=["it", "en"],
        person=("Giulia", "Bianchi"),
        sectors=["fashion"],
        description=(
            "The Lombardy regional directorate that funds and regulates vocational education and "
            "training, apprenticeships and active labour-market policies in the region."
        ),
    ),
    O(
        key="milan-hospitality",
        name="Milan Hospitality Training Centre",
        kind="vet",
        country="IT",
        region="Lombardy",
        nuts="ITC4C",
        city="Milan",
        languages=["it", "en"],
        person=("Marco", "Colombo"),
        sectors=["hospitality", "pastry", "restaurant service"],
        description=(
            "A regional vocational training centre preparing learners aged 14 to 18 for "
            "qualifications in cookery, pastry and restaurant service."
        ),
    ),
    O(
        key="emilia-romagna",
        name="Regione Emilia-Romagna – Education, Training and Labour",
        kind="authority",
        country="IT",
        region="Emilia-Romagna",
        nuts="ITH55",
        city="Bologna",
        languages=["it", "en"],
        person=("Francesca", "Rinaldi"),
        sectors=["food industry"],
        description=(
            "The regional department responsible for the integrated VET system of Emilia-Romagna, "
            "the regional employment agency and the skills strategy of the region."
        ),
    ),
    O(
        key="bologna-apprenticeship",
        name="Bologna Apprenticeship Academy",
        kind="vet",
        country="IT",
        region="Emilia-Romagna",
        nuts="ITH55",
        city="Bologna",
        languages=["it", "en"],
        person=("Luca", "Ferrari"),
        sectors=["packaging machinery", "automotive", "industrial automation"],
        description=(
            "A training provider that organises dual apprenticeships with the packaging and "
            "automotive companies of the Bologna area."
        ),
    ),
    O(
        key="emilia-food",
        name="Emilia Food Industries Consortium",
        kind="employer",
        country="IT",
        region="Emilia-Romagna",
        nuts="ITH52",
        city="Parma",
        languages=["it", "en"],
        person=("Chiara", "Greco"),
        sectors=["food production", "quality control"],
        description=(
            "A consortium of food producers around Parma that hosts apprentices and VET learners "
            "in food production and quality control."
        ),
    ),
    O(
        key="tampere-region",
        name="Council of Tampere Region",
        kind="authority",
        country="FI",
        region="Pirkanmaa",
        nuts="FI197",
        city="Tampere",
        languages=["fi", "sv", "en"],
        person=("Anu", "Virtanen"),
        sectors=[],
        description=(
            "The regional council of Pirkanmaa, in charge of regional development and of the "
            "region's continuous learning and skills forum."
        ),
    ),
    O(
        key="tampere-vet",
        name="Tampere Region Vocational College",
        kind="vet",
        country="FI",
        region="Pirkanmaa",
        nuts="FI197",
        city="Tampere",
        languages=["fi", "en"],
        person=("Mikko", "Laine"),
        sectors=["ICT", "electrical engineering", "social care"],
        description=(
            "A large vocational college with competence-based, personalised study paths for young "
            "people and adults, in ICT, electrical engineering and social and health care."
        ),
    ),
    O(
        key="upper-austria",
        name="Upper Austria Education Directorate",
        kind="authority",
        country="AT",
        region="Upper Austria",
        nuts="AT312",
        city="Linz",
        languages=["de", "en"],
        person=("Katharina", "Huber"),
        sectors=[],
        description=(
            "The education directorate of the federal state of Upper Austria, responsible for "
            "schools, part-time vocational schools for apprentices and teacher development."
        ),
    ),
    O(
        key="linz-apprenticeship",
        name="Linz Apprenticeship Training Centre",
        kind="vet",
        country="AT",
        region="Upper Austria",
        nuts="AT312",
        city="Linz",
        languages=["de", "en"],
        person=("Stefan", "Gruber"),
        sectors=["metal technology", "electronics", "mechatronics"],
        description=(
            "An inter-company training centre where apprentices of small and medium-sized firms "
            "in the Linz area learn the parts of their trade their companies cannot teach."
        ),
    ),
    O(
        key="brittany",
        name="Région Bretagne – Lifelong Learning and Guidance",
        kind="authority",
        country="FR",
        region="Brittany",
        nuts="FRH03",
        city="Rennes",
        languages=["fr", "en"],
        person=("Gwenaëlle", "Le Goff"),
        sectors=[],
        description=(
            "The Brittany regional council's service for vocational training, guidance and "
            "apprenticeships, which funds international mobility for apprentices and jobseekers."
        ),
    ),
    O(
        key="rennes-youth",
        name="Rennes Youth Mobility Association",
        kind="ngo",
        country="FR",
        region="Brittany",
        nuts="FRH03",
        city="Rennes",
        languages=["fr", "en"],
        person=("Yann", "Le Bihan"),
        sectors=[],
        description=(
            "An association that prepares and accompanies young people from Rennes' priority "
            "neighbourhoods on youth exchanges, volunteering and first work experiences abroad."
        ),
    ),
    O(
        key="lower-silesia",
        name="Lower Silesian Regional Labour Office",
        kind="employment_service",
        country="PL",
        region="Lower Silesia",
        nuts="PL514",
        city="Wrocław",
        languages=["pl", "en", "de"],
        person=("Agnieszka", "Nowak"),
        sectors=[],
        description=(
            "The regional labour office of Lower Silesia, coordinating county employment offices, "
            "vocational guidance and European Social Fund programmes for jobseekers."
        ),
    ),
    O(
        key="wroclaw-school",
        name="Wrocław Technical Schools Complex",
        kind="school",
        country="PL",
        region="Lower Silesia",
        nuts="PL514",
        city="Wrocław",
        languages=["pl", "en"],
        person=("Tomasz", "Wiśniewski"),
        sectors=["electronics", "IT", "renewable energy"],
        description=(
            "A complex of technical upper-secondary schools in Wrocław training technicians in "
            "electronics, IT and renewable energy."
        ),
    ),
    O(
        key="zealand",
        name="Region Zealand",
        kind="authority",
        country="DK",
        region="Zealand",
        nuts="DK022",
        city="Sorø",
        languages=["da", "en"],
        person=("Mette", "Kristensen"),
        sectors=[],
        description=(
            "The Danish region covering Zealand outside Copenhagen, working on education and "
            "skills through its regional development strategy and youth education coordination."
        ),
    ),
    O(
        key="roskilde-tech",
        name="Roskilde Technical College",
        kind="vet",
        country="DK",
        region="Zealand",
        nuts="DK021",
        city="Roskilde",
        languages=["da", "en"],
        person=("Rasmus", "Møller"),
        sectors=["carpentry", "automotive", "data technology"],
        description=(
            "A technical college offering vocational programmes in carpentry, automotive and data "
            "technology under the Danish dual system, plus a technical upper-secondary school."
        ),
    ),
    O(
        key="hamburg-logistics",
        name="Hamburg Vocational School for Logistics",
        kind="school",
        country="DE",
        region="Hamburg",
        nuts="DE600",
        city="Hamburg",
        languages=["de", "en"],
        person=("Jana", "Schulz"),
        sectors=["port logistics", "freight forwarding"],
        description=(
            "A state vocational school teaching the classroom part of apprenticeships in port "
            "logistics, warehousing and freight forwarding."
        ),
    ),
    O(
        key="hamburg-adult",
        name="Hamburg Community Adult Learning Centre",
        kind="adult_education",
        country="DE",
        region="Hamburg",
        nuts="DE600",
        city="Hamburg",
        languages=["de", "en", "tr"],
        person=("Ayşe", "Demir"),
        sectors=[],
        description=(
            "Neighbourhood courses in German, literacy, numeracy and digital skills for adults, "
            "and guidance for people who want to return to learning."
        ),
    ),
    O(
        key="mid-west-fet",
        name="Mid-West Further Education and Training Board",
        kind="adult_education",
        country="IE",
        region="Mid-West",
        nuts="IE051",
        city="Limerick",
        languages=["en", "ga"],
        person=("Siobhán", "O'Brien"),
        sectors=["health care", "engineering"],
        description=(
            "The further education and training board for Limerick and Clare, running "
            "apprenticeships, post-leaving-certificate courses, adult literacy and community "
            "education."
        ),
    ),
    O(
        key="porto-tourism",
        name="Porto School of Hospitality and Tourism",
        kind="vet",
        country="PT",
        region="Norte",
        nuts="PT11A",
        city="Porto",
        languages=["pt", "en", "es"],
        person=("Inês", "Carvalho"),
        sectors=["hospitality", "tourism", "cookery"],
        description=(
            "A vocational school training cooks, receptionists and tour guides, with a training "
            "restaurant and hotel open to the public."
        ),
    ),
    O(
        key="norte-employment",
        name="Norte Employment and Training Centre",
        kind="employment_service",
        country="PT",
        region="Norte",
        nuts="PT11A",
        city="Porto",
        languages=["pt", "en"],
        person=("Rui", "Fernandes"),
        sectors=[],
        description=(
            "A public employment and vocational training centre serving the Porto metropolitan "
            "area, with guidance, recognition of prior learning and training for adults."
        ),
    ),
    O(
        key="porto-polytechnic",
        name="Porto Polytechnic School of Education",
        kind="higher_education",
        country="PT",
        region="Norte",
        nuts="PT11A",
        city="Porto",
        languages=["pt", "en"],
        person=("Sofia", "Moreira"),
        sectors=["education"],
        description=(
            "A school of a polytechnic institute educating teachers, social educators and "
            "community workers, with international placements for its students."
        ),
    ),
]
