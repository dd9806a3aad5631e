"""A covering index of what the sitemaps read of each version (website/sitemaps.py): at
2,000,000 releases the index of months read every version's row, 76 s with a cold cache."""

from django.db import migrations, models

from pressroom.migrationops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL builds the index CONCURRENTLY: the archive stays writable

    dependencies = [
        ("releases", "0010_updated_indexes"),
    ]

    operations = [
        AddIndexOnline(
            model_name="languageversion",
            index=models.Index(fields=["release", "revision", "translates_revision", "updated_at",
                                      "is_original", "language"], name="version_sitemap"),
        ),
    ]
