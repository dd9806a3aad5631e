# The API cursor (and keyset listings) seek (posted_at, release_id) < (?, ?) on this index.
# Named 0007 beside other branches' 0005/0006, which also follow 0004.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0004_version_text_as_received"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="release",
            index=models.Index(fields=["posted_at", "release_id"], name="release_keyset"),
        ),
    ]
