from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "pressroom.trust"
    verbose_name = "Trust: signatures, transparency log, verifier"

    def ready(self):
        from pressroom.releases import store

        from . import neardup, signals  # noqa: F401 - signs and logs every write of the record

        store.PREPARERS["trust"] = neardup.prepared_shingles
