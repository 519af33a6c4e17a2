from django.db import migrations

from domain.units import normalize_unit


def normalize_units(apps, schema_editor):
    # Units entered before the vocabulary ("percent", "usd") read as it reads them ("%", "USD").
    for model_name in ("Claim", "Assertion", "Position"):
        model = apps.get_model("claims", model_name)
        for unit in model.objects.exclude(unit="").values_list("unit", flat=True).distinct():
            if normalize_unit(unit) != unit:
                model.objects.filter(unit=unit).update(unit=normalize_unit(unit))


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_workbench_team")]

    operations = [migrations.RunPython(normalize_units, migrations.RunPython.noop)]
