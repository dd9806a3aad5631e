from django.db import migrations


def add_languages(apps, schema_editor):
    from pressroom.releases.languages import put_language_rows

    put_language_rows(apps.get_model("releases", "Language"))


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
