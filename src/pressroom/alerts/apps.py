from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "pressroom.alerts"
    verbose_name = "Alerts (e-mail, webhooks, WebSub)"

    def ready(self):
        from pressroom import health

        from . import signals  # noqa: F401 - fills the outbox in the publishing transaction
        from .worker import outbox_health

        health.register("alerts", outbox_health)
