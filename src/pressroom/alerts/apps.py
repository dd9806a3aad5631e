from django.apps import AppConfig


def outbox_health():
    from .worker import outbox_health as check  # imported when /healthz asks, not at start-up

    return check()


class AlertsConfig(AppConfig):
    name = "pressroom.alerts"
    verbose_name = "Alerts (e-mail, webhooks, WebSub)"

    def ready(self):
        from pressroom import health

        from . import signals  # noqa: F401 - fills the outbox in the publishing transaction

        health.register("alerts", outbox_health)
