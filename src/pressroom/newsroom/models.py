"""The write side: officers, drafts and their states, embargo previews, the audit log.

A draft is what officers work on; publishing it writes the public record (releases app)
through ``releases.store`` and links the draft to the release it became. After that the
draft keeps following the release (corrected, withdrawn, removed) so the newsroom shows
one history per release.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressroom.releases.limits import SIGN_OFF_MAX
from pressroom.releases.models import Bureau, Language, Ministry, Release


class Officer(models.Model):
    """A newsroom user's role and the ministries they work for."""

    class Role(models.TextChoices):
        MEDIA = "media", _("Media officer (drafts for a ministry)")
        PRESS = "press", _("Press officer (reviews, publishes, translates, corrects)")
        TRANSLATOR = "translator", _("Translator (drafts translations in their languages)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="officer")
    role = models.CharField(max_length=10, choices=Role.choices)
    ministries = models.ManyToManyField(Ministry, blank=True, related_name="officers")
    all_ministries = models.BooleanField(
        default=False, help_text=_("Press officers and translators: work for every ministry"))
    bureaus = models.ManyToManyField(
        Bureau, blank=True, related_name="officers",
        help_text=_("The bureaus they work in (a translator sees these bureaus' releases; "
                    "a media officer's new drafts start in the only one)"))
    languages = models.ManyToManyField(
        Language, blank=True, related_name="officers",
        help_text=_("Translators: the languages they translate into. Press officers: the "
                    "languages they review (none: every language)"))

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"

    @property
    def is_press(self):
        return self.role == self.Role.PRESS

    @property
    def is_translator(self):
        return self.role == self.Role.TRANSLATOR

    @property
    def title(self):
        return {self.Role.PRESS: _("press officer"), self.Role.MEDIA: _("media officer"),
                self.Role.TRANSLATOR: _("translator")}.get(self.role, self.role)


class Draft(models.Model):
    class State(models.TextChoices):
        # Before publication the draft's own states; after it, the release's status (the
        # same values, taken from Release.Status) and "corrected", which is published too.
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        REJECTED = "rejected", _("Sent back")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = Release.Status.PUBLISHED.value, _("Published")
        CORRECTED = "corrected", _("Published, corrected")
        WITHDRAWN = Release.Status.WITHDRAWN.value, _("Withdrawn")
        REMOVED = Release.Status.REMOVED.value, _("Removed")

    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="drafts")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="drafts")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", default="en")
    title = models.TextField()
    subtitles = models.TextField(blank=True, help_text="One highlight line per line")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML")
    sign_off = models.CharField(max_length=SIGN_OFF_MAX, blank=True)

    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    state_note = models.TextField(blank=True, help_text="Reason given for the last transition")
    # Optimistic lock: a save must name the version it started from.
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="drafts")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    # Publication time for a scheduled release; with preview links, also its embargo.
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    release = models.OneToOneField(Release, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="draft")
    published_at = models.DateTimeField(null=True, blank=True)
    published_late = models.BooleanField(default=False)
    # A major correction waiting for a second press officer: {title, subtitles, body_html,
    # sign_off, note}, and who proposed it (who may not approve it).
    pending_correction = models.JSONField(default=dict, blank=True)
    pending_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Languages it is to be put out in besides its own: tasks for translators once approved.
    translation_languages = models.ManyToManyField(
        Language, blank=True, related_name="+",
        help_text=_("Translators of these languages get a task when it is approved"))

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title[:80]

    @property
    def subtitle_list(self):
        return [s for s in self.subtitles.split("\n") if s.strip()]

    @property
    def is_public(self):
        return self.release_id is not None


class TranslationTask(models.Model):
    """One language of a release being translated: drafted by a translator (or, for Hindi,
    a media officer beside the English), reviewed by a press officer of that language, and
    published with the original or, once the original is out, on its own."""

    class State(models.TextChoices):
        TODO = "todo", _("Missing")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved, goes out with the original")
        PUBLISHED = "published", _("Done")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="tasks")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.TODO)
    title = models.TextField(blank=True)
    subtitles = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    sign_off = models.CharField(max_length=200, blank=True)
    # The original as it was when this translation was last drafted: what "behind" compares.
    source = models.JSONField(default=dict, blank=True)
    state_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["language__position"]
        constraints = [models.UniqueConstraint(fields=["draft", "language"],
                                               name="one_task_per_language")]

    def __str__(self):
        return f"{self.draft_id}/{self.language_id}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """One action in the newsroom. Rows are added, never changed or deleted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Kept if the account goes")
    action = models.CharField(max_length=40)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="audit")
    release_id = models.PositiveBigIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")


class Journalist(models.Model):
    """A journalist who may be sent embargoed previews (accreditation managed by admins)."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    outlet = models.CharField(max_length=200, blank=True)
    accredited = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.outlet})" if self.outlet else self.name


class PreviewGrant(models.Model):
    """A personal preview link for one journalist to one draft, until it expires."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="previews")
    journalist = models.ForeignKey(Journalist, on_delete=models.PROTECT, related_name="previews")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.journalist} → {self.draft_id}"


class PreviewOpening(models.Model):
    grant = models.ForeignKey(PreviewGrant, on_delete=models.CASCADE, related_name="openings")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.grant} opened {self.at:%Y-%m-%d %H:%M}"


from .media_models import DraftAttachment, DraftPhoto  # noqa: E402,F401  (a draft's media)
