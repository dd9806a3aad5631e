from django.apps import AppConfig
from django.conf import settings


class OpsConfig(AppConfig):
    name = "pressroom.ops"
    verbose_name = "Operations: backup, restore, fingerprint"

    def ready(self):
        # The data folder (the SQLite database goes there) and the static files' folder
        # (WhiteNoise warns at start if it is missing) are made when Django starts, for every
        # command, server and test run, rather than when settings are imported.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        settings.PRESSROOM["DATA_DIR"].mkdir(parents=True, exist_ok=True)
