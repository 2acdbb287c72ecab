from django.db import migrations

from matchmaking import vocabularies

VOCABULARIES = {
    "ExchangeType": vocabularies.EXCHANGE_TYPES,
    "Theme": vocabularies.THEMES,
    "FewerOpportunityCategory": vocabularies.FEWER_OPPORTUNITY_CATEGORIES,
    "FieldOfEducation": vocabularies.FIELDS_OF_EDUCATION,
}


def seed(apps, schema_editor):
    for model_name, terms in VOCABULARIES.items():
        model = apps.get_model("matchmaking", model_name)
        for position, (slug, name) in enumerate(terms):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    language = apps.get_model("matchmaking", "Language")
    for code, name in vocabularies.LANGUAGES:
        language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
