from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "pressroom.trust"
    verbose_name = "Trust: signatures, transparency log, verifier"

    def ready(self):
        from . import signals  # noqa: F401 - signs and logs every write of the record
