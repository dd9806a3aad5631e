from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "pressroom.website"
    verbose_name = "Public website"

    def ready(self):
        from pressroom import health

        # /healthz is served here; other apps register their checks in their own ready().
        health.register_core_checks()
