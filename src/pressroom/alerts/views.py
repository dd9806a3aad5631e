"""Alerts pages: sign up, confirm, manage, leave; the one-click unsubscribe endpoint; the
WebSub hub and the webhook registration API; the demo inbox.

Every form is CSRF-protected, except the two endpoints machines POST to by design: RFC 8058
one-click unsubscribe (a mail client posts ``List-Unsubscribe=One-Click`` with no cookie;
the signed token in the URL is the authority) and the WebSub hub (a W3C protocol between
servers). Pages that hold a form or a personal link are never cached.
"""

from __future__ import annotations

import json
import logging
from ipaddress import ip_address

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import machines, ratelimit, tokens
from .forms import ChangeForm, SubscribeForm, WebhookForm
from .mailcatcher import caught
from .messages import confirmation_message, subscriber_export
from .models import Subscriber, Subscription, Webhook, WebhookDelivery, WebSubSubscription

log = logging.getLogger("pressroom.alerts")


def _initial(request) -> dict:
    """The form's starting point from the page that linked here (?ministry=, ?q=, ...)."""
    g = request.GET
    initial = {k: g.get(k, "")[:500] for k in ("ministry", "bureau", "lang", "q") if g.get(k)}
    if "q" in initial:
        initial["kind"] = Subscription.Kind.SEARCH
    elif "ministry" in initial:
        initial["kind"] = Subscription.Kind.MINISTRY
    elif "bureau" in initial:
        initial["kind"] = Subscription.Kind.BUREAU
    elif "lang" in initial:
        initial["kind"] = Subscription.Kind.LANGUAGE
    else:
        initial["kind"] = Subscription.Kind.ALL
    initial["email_language"] = "hi" if request.LANGUAGE_CODE == "hi" else "en"
    return initial


def _subscription_from(form: SubscribeForm, subscriber: Subscriber) -> Subscription:
    d = form.cleaned_data
    kind = d["kind"]
    fields = {"kind": kind, "frequency": d["frequency"], "digest_hour": d["digest_hour"],
              "email_language": d["email_language"], "ministry": None, "bureau": None, "language": None,
              "query": ""}
    if kind == Subscription.Kind.MINISTRY:
        fields["ministry"] = d["ministry"]
    elif kind == Subscription.Kind.BUREAU:
        fields["bureau"] = d["bureau"]
    elif kind == Subscription.Kind.LANGUAGE:
        fields["language"] = d["lang"]
    elif kind == Subscription.Kind.SEARCH:
        fields.update(query=" ".join(d["q"].split()), ministry=d["ministry"], bureau=d["bureau"],
                      language=d["lang"])
    same = {k: v for k, v in fields.items() if k in ("kind", "ministry", "bureau", "language", "query")}
    existing = subscriber.subscriptions.filter(**same).first()
    if existing and existing.confirmed_at:
        return existing  # only its owner changes it, from the manage page, never a stranger's form
    if existing:  # signing up again for the same thing changes its settings, no duplicate
        for k, v in fields.items():
            setattr(existing, k, v)
        existing.save()
        return existing
    return Subscription.objects.create(subscriber=subscriber, **fields)


@never_cache
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        ip = ratelimit.client_address(request)
        if not ratelimit.client_allowed(ip):
            return render(request, "alerts/limited.html", status=429)
        if form.is_valid():
            ratelimit.record("client", ip)
            email = form.cleaned_data["email"].strip().lower()
            with transaction.atomic():
                subscriber, _created = Subscriber.objects.get_or_create(email=email)
                sub = _subscription_from(form, subscriber)
            # The same answer whatever happened, so the page tells nobody whether an address
            # is subscribed; over the daily cap, nothing more is sent to that address.
            if (sub.confirmed_at is None and subscriber.suppressed_at is None
                    and ratelimit.address_allowed(email)):
                ratelimit.record("address", email)
                try:
                    confirmation_message(sub).send()
                except Exception as e:  # noqa: BLE001 - never a 500 for a mail relay's trouble
                    log.warning("confirmation mail not sent: %s", e.__class__.__name__)
                    return render(request, "alerts/check_inbox.html", {"not_sent": True}, status=503)
            return render(request, "alerts/check_inbox.html", {})
    else:
        form = SubscribeForm(initial=_initial(request))
    return render(request, "alerts/subscribe.html", {"form": form})


def _subscription(token_reader, token) -> Subscription:
    pk = token_reader(token)
    sub = Subscription.objects.select_related("subscriber", "ministry", "bureau", "language").filter(
        pk=pk).first() if pk else None
    if sub is None:
        raise Http404("That link is not valid any more.")
    return sub


@never_cache
def confirm(request, token):
    """GET shows a button (link scanners in mail systems open links; only a person presses
    the button), POST confirms."""
    pk = tokens.read_confirm(token)
    sub = Subscription.objects.select_related("subscriber").filter(pk=pk).first() if pk else None
    if sub is None:
        return render(request, "alerts/link_invalid.html", status=404)
    if request.method == "POST":
        if sub.confirmed_at is None:
            Subscription.objects.filter(pk=sub.pk).update(confirmed_at=timezone.now())
        manage_url = reverse("alerts:manage", args=[tokens.manage_token(sub.subscriber_id)])
        return redirect(manage_url + "?confirmed=1")
    return render(request, "alerts/confirm.html", {"subscription": sub})


def _subscriber(token) -> Subscriber:
    pk = tokens.read_manage(token)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk else None
    if subscriber is None:
        raise Http404("That link is not valid any more.")
    return subscriber


@never_cache
def manage(request, token):
    try:
        subscriber = _subscriber(token)
    except Http404:
        return render(request, "alerts/link_invalid.html", status=404)
    if request.GET.get("export") == "json":
        response = JsonResponse(subscriber_export(subscriber), json_dumps_params={"ensure_ascii": False,
                                                                                  "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="pressroom-alerts.json"'
        return response
    message = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "change":
            form = ChangeForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                subscriber.subscriptions.filter(pk=d["subscription"]).update(
                    frequency=d["frequency"], digest_hour=d["digest_hour"],
                    email_language=d["email_language"], paused=d["paused"])
                message = _("Your changes are saved.")
        elif action == "leave":
            subscriber.subscriptions.filter(pk=request.POST.get("subscription") or 0).delete()
            message = _("You left that alert.")
        elif action in ("pause", "resume"):
            Subscriber.objects.filter(pk=subscriber.pk).update(paused=action == "pause")
            message = (_("All your alerts are paused.") if action == "pause"
                       else _("Your alerts are on again."))
        elif action == "leave_all":
            subscriber.subscriptions.all().delete()
            message = _("You left all your alerts.")
        elif action == "delete":
            subscriber.delete()
            return render(request, "alerts/deleted.html")
        subscriber.refresh_from_db()
    subs = list(subscriber.subscriptions.select_related("ministry", "bureau", "language").order_by("pk"))
    rows = [(s, ChangeForm(initial={"subscription": s.pk, "frequency": s.frequency,
                                    "digest_hour": s.digest_hour, "email_language": s.email_language,
                                    "paused": s.paused}, prefix=f"s{s.pk}"))
            for s in subs]
    return render(request, "alerts/manage.html", {
        "subscriber": subscriber, "rows": rows, "message": message, "token": token,
        "confirmed": request.GET.get("confirmed") == "1"})


@never_cache
def unsubscribe(request, token):
    pk = tokens.read_unsubscribe(token)
    sub = (Subscription.objects.select_related("ministry", "bureau", "language").filter(pk=pk).first()
           if pk else None)
    if sub is None:
        return render(request, "alerts/unsubscribed.html", {"gone": True})
    if request.method == "POST":
        subscriber_id = sub.subscriber_id
        sub.delete()
        return render(request, "alerts/unsubscribed.html", {
            "manage_url": reverse("alerts:manage", args=[tokens.manage_token(subscriber_id)])})
    return render(request, "alerts/unsubscribe.html", {"subscription": sub})


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signed URL is the authority
def one_click(request, token):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pk = tokens.read_unsubscribe(token)
    if pk is None:
        return HttpResponse("Not a valid unsubscribe link.\n", status=404, content_type="text/plain")
    Subscription.objects.filter(pk=pk).delete()
    return HttpResponse("Unsubscribed.\n", content_type="text/plain")


def _local(request) -> bool:
    try:
        return ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def outbox_demo(request):
    """The demo inbox: what the local mail catcher caught. Only in DEBUG, demo mode, or to
    a browser on this machine; never on a real deployment's public side."""
    if not (settings.DEBUG or settings.PRESSROOM["ALERTS_DEMO"] or _local(request)):
        raise Http404("No demo inbox here.")
    return render(request, "alerts/outbox_demo.html", {
        "messages_caught": caught(settings.PRESSROOM["DATA_DIR"] / "mail"),
        "folder": settings.PRESSROOM["DATA_DIR"] / "mail"})


# --- WebSub hub --------------------------------------------------------------------------

def _bad(text: str) -> HttpResponse:
    return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")


@csrf_exempt  # W3C WebSub: subscribers are servers, they POST a form without cookies
def websub_hub(request):
    if request.method != "POST":
        return HttpResponse("WebSub hub: POST hub.mode, hub.topic, hub.callback.\n",
                            content_type="text/plain", status=405 if request.method != "GET" else 200)
    mode = request.POST.get("hub.mode", "")
    topic = request.POST.get("hub.topic", "")
    callback = request.POST.get("hub.callback", "")
    if mode not in ("subscribe", "unsubscribe"):
        return _bad("hub.mode must be subscribe or unsubscribe")
    if not machines.valid_topic(topic):
        return _bad("hub.topic is not one of this site's feeds")
    try:
        machines.check_target(callback)
    except machines.TargetRefused as e:
        return _bad(f"hub.callback refused: {e}")
    lease = request.POST.get("hub.lease_seconds", "")
    lease = min(max(int(lease), 3600), 30 * 24 * 3600) if lease.isdigit() else 10 * 24 * 3600
    secret = request.POST.get("hub.secret", "")
    if len(secret) > 199:
        return _bad("hub.secret must be under 200 bytes")
    existing = WebSubSubscription.objects.filter(topic=topic, callback=callback).first()
    if mode == "unsubscribe" and existing is None:
        return HttpResponse(status=202)
    if existing is None:
        existing = WebSubSubscription(topic=topic, callback=callback)
    existing.pending_mode = mode
    if mode == "subscribe":
        existing.secret, existing.lease_seconds = secret, lease
    existing.save()
    return HttpResponse(status=202)  # intent is verified by the worker (WebSub 5.3)


# --- Webhooks API ------------------------------------------------------------------------

def _hook_json(hook: Webhook, request=None) -> dict:
    return {"id": hook.pk, "url": hook.url,
            "filters": {"ministry": hook.ministry.slug if hook.ministry else None,
                        "bureau": hook.bureau.slug if hook.bureau else None,
                        "lang": hook.language_id, "q": hook.query},
            "paused": hook.paused_at is not None, "failures": hook.failures,
            "deliveries": [{"id": d.pk, "event": d.event_id, "status": d.status, "attempts": d.attempts,
                            "response_status": d.response_status, "error": d.error,
                            "sent_at": d.sent_at.isoformat() if d.sent_at else None}
                           for d in WebhookDelivery.objects.filter(hook=hook).order_by("-pk")[:50]]}


def _hook_from_token(request):
    auth = request.headers.get("Authorization", "")
    pk = tokens.read_hook(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None
    hook = Webhook.objects.filter(pk=pk).first() if pk else None
    return hook


@csrf_exempt  # a JSON API for programs, authenticated by the token it hands out, no cookies
def webhooks(request):
    """POST {url, ministry?, bureau?, lang?, q?} registers a hook. The URL is asked first
    (GET ?challenge=...; it must answer with the challenge), so nobody can point deliveries
    at a server that did not ask for them. Answers the hook's secret (for the signatures)
    and a token to read its delivery log (GET with ``Authorization: Bearer``) or delete it."""
    if request.method == "GET":
        hook = _hook_from_token(request)
        if hook is None:
            return JsonResponse({"error": "send Authorization: Bearer <token>"}, status=401)
        return JsonResponse(_hook_json(hook))
    if request.method == "DELETE":
        hook = _hook_from_token(request)
        if hook is None:
            return JsonResponse({"error": "send Authorization: Bearer <token>"}, status=401)
        hook.delete()
        return JsonResponse({"deleted": True})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST", "DELETE"])
    ip = ratelimit.client_address(request)
    if not ratelimit.client_allowed(ip):
        return JsonResponse({"error": "too many registrations from this address; try later"}, status=429)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    form = WebhookForm({k: str(v) for k, v in data.items() if v is not None})
    if not form.is_valid():
        return JsonResponse({"error": "invalid fields", "fields": form.errors}, status=400)
    ratelimit.record("client", ip)
    d = form.cleaned_data
    try:
        challenge = machines.new_secret()
        sep = "&" if "?" in d["url"] else "?"
        status, body = machines.http("GET", f"{d['url']}{sep}challenge={challenge}")
        if not (200 <= status < 300 and body.decode("utf-8", "replace").strip() == challenge):
            return JsonResponse({"error": "the URL did not answer the challenge (GET ?challenge=X must "
                                          "return X)"}, status=400)
    except machines.TargetRefused as e:
        return JsonResponse({"error": f"url refused: {e}"}, status=400)
    except Exception as e:  # noqa: BLE001 - an unreachable URL is the client's error
        return JsonResponse({"error": f"the URL could not be reached: {e.__class__.__name__}"}, status=400)
    hook = Webhook.objects.create(url=d["url"], secret=machines.new_secret(), ministry=d["ministry"],
                                  bureau=d["bureau"], language=d["lang"], query=d["q"].strip())
    return JsonResponse({**_hook_json(hook), "secret": hook.secret,
                         "token": tokens.hook_token(hook.pk)}, status=201)
