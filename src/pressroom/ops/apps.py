from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "pressroom.ops"
    verbose_name = "Operations: backup, restore, fingerprint"
