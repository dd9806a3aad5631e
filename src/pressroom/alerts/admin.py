"""The press office sees how many follow what, never who: the admin lists counts only.
Superusers (admins) can open single records for support, still without a bulk list of
addresses; nothing is editable here (owners change their alerts from their manage page)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from .models import Delivery, Event, Subscription, Webhook, WebhookDelivery


class CountsOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Subscription)
class SubscriptionAdmin(CountsOnlyAdmin):
    list_display = ("pk", "kind", "frequency", "email_language", "confirmed_at", "paused")
    list_filter = ("kind", "frequency", "email_language")

    def changelist_view(self, request, extra_context=None):
        confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
        ctx = {
            **self.admin_site.each_context(request), "title": "Alert subscriptions (counts)",
            "opts": self.model._meta,
            "total": confirmed.count(),
            "unconfirmed": Subscription.objects.filter(confirmed_at__isnull=True).count(),
            "by_kind": confirmed.values("kind").annotate(n=Count("pk")).order_by("-n"),
            "by_ministry": confirmed.filter(ministry__isnull=False).values("ministry__name")
                                    .annotate(n=Count("pk")).order_by("-n")[:50],
            "by_language": confirmed.values("email_language").annotate(n=Count("pk")).order_by("-n"),
            "by_frequency": confirmed.values("frequency").annotate(n=Count("pk")).order_by("-n"),
            "deliveries": Delivery.objects.aggregate(
                sent=Count("pk", filter=Q(status="sent")), pending=Count("pk", filter=Q(status="pending")),
                failed=Count("pk", filter=Q(status="failed"))),
        }
        return TemplateResponse(request, "alerts/admin_counts.html", ctx)


@admin.register(Event)
class EventAdmin(CountsOnlyAdmin):
    list_display = ("pk", "kind", "release_id", "created_at", "fanned_out_at")


@admin.register(Webhook)
class WebhookAdmin(CountsOnlyAdmin):
    list_display = ("pk", "url", "created_at", "paused_at", "failures")

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # an admin may pause or resume a hook


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(CountsOnlyAdmin):
    list_display = ("pk", "hook", "event", "status", "attempts", "response_status", "error")
