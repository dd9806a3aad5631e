from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "pressroom.ingest"
    verbose_name = "Import and export"
