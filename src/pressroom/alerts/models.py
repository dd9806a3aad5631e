"""E-mail alerts, webhooks and WebSub: who follows what, and what was sent to whom.

- ``Subscriber``: one e-mail address (stored only to send to it; its owner can export and
  delete it from the manage page). ``Subscription``: what it follows, how often, in which
  language; confirmed by a signed link before anything is sent.
- ``Event``: the outbox. A row is written by ``signals.py`` inside the transaction that
  publishes (or translates, corrects, withdraws), so an alert exists exactly when the
  record changed. The worker fans each event out into ``Delivery`` rows.
- ``Delivery``: one message to one address for one event, unique per (subscriber, event),
  so a restarted worker finds what was sent and never sends it again.
- ``Webhook`` / ``WebhookDelivery`` and ``WebSubSubscription`` / ``WebSubDelivery``: the
  same for machines.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pressroom.releases.models import Bureau, Language, Ministry

EMAIL_LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paused = models.BooleanField(default=False)
    # Permanent failures (5xx from the relay) in a row; at the limit the address is suppressed.
    failures = models.PositiveSmallIntegerField(default=0)
    suppressed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"subscriber {self.pk}"  # never the address: admin lists show counts, not people

    @property
    def sendable(self) -> bool:
        return not self.paused and self.suppressed_at is None


class Subscription(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("a ministry")
        BUREAU = "bureau", _("a bureau")
        LANGUAGE = "language", _("a language")
        SEARCH = "search", _("a saved search")
        ALL = "all", _("every release")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("immediately")
        DAILY = "daily", _("a daily digest")
        WEEKLY = "weekly", _("a weekly digest")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The thing followed (kind ministry/bureau/language), or a saved search's filters.
    ministry = models.ForeignKey(Ministry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=500, blank=True, help_text="A saved search's words")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    digest_hour = models.PositiveSmallIntegerField(default=8, help_text="Hour of the digest, IST")
    email_language = models.CharField(max_length=8, choices=EMAIL_LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "ministry"], name="alerts_sub_ministry"),
            models.Index(fields=["kind", "bureau"], name="alerts_sub_bureau"),
            models.Index(fields=["kind", "language"], name="alerts_sub_language"),
        ]

    def __str__(self):
        return f"subscription {self.pk} ({self.kind})"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and not self.paused

    def describe(self) -> str:
        """What it follows, for people (the manage page, e-mails)."""
        if self.kind == self.Kind.MINISTRY and self.ministry:
            return self.ministry.name
        if self.kind == self.Kind.BUREAU and self.bureau:
            return self.bureau.name
        if self.kind == self.Kind.LANGUAGE and self.language:
            return self.language.native_name
        if self.kind == self.Kind.SEARCH:
            parts = [f"“{self.query}”"]
            parts += [x.name for x in (self.ministry, self.bureau) if x]
            if self.language:
                parts.append(self.language.native_name)
            return " · ".join(parts)
        return str(_("every release"))


class Event(models.Model):
    """The outbox: something that happened to the record that alerts follow."""

    class Kind(models.TextChoices):
        PUBLISHED = "published"
        TRANSLATED = "translated"  # a new language version
        CORRECTED = "corrected"  # only corrections the press office marked major
        WITHDRAWN = "withdrawn"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    release_id = models.PositiveBigIntegerField(db_index=True)
    version_id = models.PositiveBigIntegerField()
    note = models.TextField(blank=True, help_text="The change note or withdrawal reason")
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True, db_index=True)
    machines_done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.kind} {self.release_id} ({self.version_id})"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"  # gave up: permanent failure or too many tries
        SKIPPED = "skipped"  # paused, suppressed or left before it went

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    digest = models.BooleanField(default=False)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "event"], name="alerts_once_per_event")]
        indexes = [models.Index(fields=["status", "due_at"], name="alerts_delivery_due")]

    def __str__(self):
        return f"delivery {self.pk} {self.status}"


class SignupAttempt(models.Model):
    """Counts sign-ups per address and per client for rate limits: keyed by an HMAC, not the
    address itself, and deleted after a day."""

    key = models.CharField(max_length=80, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"sign-up {self.pk}"


class Webhook(models.Model):
    """An API client's URL that receives new releases matching its filters, signed."""

    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=80)
    # Filters: empty means any. The same things an e-mail subscription follows.
    ministry = models.ForeignKey(Ministry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0, help_text="Deliveries failed in a row")

    def __str__(self):
        return f"webhook {self.pk}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    hook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hook", "event"], name="alerts_hook_once")]
        indexes = [models.Index(fields=["status", "due_at"], name="alerts_hookdelivery_due")]

    def __str__(self):
        return f"webhook delivery {self.pk} {self.status}"


class WebSubSubscription(models.Model):
    """A feed reader's subscription to one of our feeds (Pressroom as its own WebSub hub)."""

    topic = models.CharField(max_length=1000, help_text="The feed URL")
    callback = models.URLField(max_length=1000)
    secret = models.CharField(max_length=199, blank=True)
    lease_seconds = models.PositiveIntegerField(default=10 * 24 * 3600)
    # Pending requests (subscribe/unsubscribe) are verified by the worker, then applied.
    pending_mode = models.CharField(max_length=12, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "callback"], name="alerts_websub_once")]

    def __str__(self):
        return f"websub subscription {self.pk}"


class WebSubDelivery(models.Model):
    subscription = models.ForeignKey(WebSubSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "event"],
                                               name="alerts_websub_delivery_once")]

    def __str__(self):
        return f"websub delivery {self.pk} {self.status}"
