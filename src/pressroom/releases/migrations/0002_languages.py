from django.db import migrations


def add_languages(apps, schema_editor):
    from pressroom.releases.languages import LANGUAGES

    Language = apps.get_model("releases", "Language")
    for position, (code, name, native, script, direction) in enumerate(LANGUAGES):
        Language.objects.update_or_create(code=code, defaults={
            "name": name, "native_name": native, "script": script, "direction": direction,
            "position": position})


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
