from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "pressroom.website"
    verbose_name = "Public website"

    def ready(self):
        from pressroom import health

        # /healthz is served here; other apps register their checks in their own ready().
        health.register_core_checks()

        from pressroom.releases.store import versions_changed

        from . import pdf

        # Stored PDFs of a version go once a change to it commits (website/pdf.py).
        versions_changed.connect(pdf.on_versions_changed, dispatch_uid="website.pdf")
