"""Organisations' NUTS codes against NUTS 2024: a code that exists (once trimmed and in
capitals) is kept in that form; one that does not is kept as it was, never dropped, and listed
for the secretariat (the organisations admin's filter "NUTS code: not in NUTS 2024")."""

from django.db import migrations

from matchmaking import nuts


def check_codes(apps, schema_editor):
    organisation = apps.get_model("matchmaking", "Organisation")
    unknown = []
    for pk, name, code in organisation.objects.exclude(nuts_code="").values_list(
        "pk", "name", "nuts_code"
    ):
        cleaned = code.strip().upper()
        if nuts.is_nuts_2024(cleaned):
            if cleaned != code:
                organisation.objects.filter(pk=pk).update(nuts_code=cleaned)
        else:
            unknown.append(f"{name} ({code})")
    if unknown:
        print(
            "\n  NUTS codes not in NUTS 2024, kept for the secretariat to correct: "
            + ", ".join(unknown)
        )


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0011_exchange_type_codes")]
    operations = [migrations.RunPython(check_codes, migrations.RunPython.noop)]
