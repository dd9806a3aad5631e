from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "pressroom.trust"
    verbose_name = "Trust: signatures, transparency log, verifier"

    def ready(self):
        from pressroom.releases import store

        from . import neardup, signals, signing  # noqa: F401 - signals: signs and logs every write

        store.PREPARERS["trust"] = neardup.prepared_shingles
        store.PREPARERS["trust_record"] = signing.prepared_records
