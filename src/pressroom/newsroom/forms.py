"""Newsroom forms. Choices are limited to what the signed-in officer may use, so a forged
field naming another ministry is an invalid choice, never a saved draft."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from pressroom.releases.limits import SIGN_OFF_MAX, TITLE_MAX
from pressroom.releases.models import Bureau, Language

from .editing import clean_body
from .models import Draft, Journalist
from .permissions import ministries_for

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class BodyField(forms.CharField):
    """The body editor: a textarea that a small script may turn into a toolbar editor."""

    widget = forms.Textarea(attrs={"rows": 18, "class": "body-editor", "data-editor": "body"})

    def clean(self, value):
        return clean_body(super().clean(value))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class ContentMixin(forms.Form):
    title = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=TITLE_MAX)
    subtitles = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Highlight lines shown under the title, one per line.")
    body_html = BodyField(label="Body", required=False,
                          help_text="Paragraphs, lists, tables, links and emphasis are kept. "
                                    "Without the toolbar, type one paragraph per line; "
                                    "start lines with “- ” or “1. ” for lists.")
    sign_off = forms.CharField(required=False, max_length=SIGN_OFF_MAX,
                               help_text="Initials of the people who cleared it, e.g. SRR/DK.")

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class DraftForm(ContentMixin, forms.Form):
    ministry = forms.ModelChoiceField(queryset=None)
    bureau = forms.ModelChoiceField(queryset=Bureau.objects.all())
    language = forms.ModelChoiceField(queryset=Language.objects.all(), initial="en",
                                      help_text="The language the release is issued in.")
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["ministry", "bureau", "language", "title", "subtitles", "body_html", "sign_off"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries_for(user)

    @classmethod
    def initial_from(cls, draft: Draft) -> dict:
        return {"ministry": draft.ministry_id, "bureau": draft.bureau_id,
                "language": draft.language_id, "title": draft.title,
                "subtitles": draft.subtitles, "body_html": draft.body_html,
                "sign_off": draft.sign_off, "lock_version": draft.lock_version}

    def draft_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("ministry", "bureau", "language", "title", "subtitles",
                                  "body_html", "sign_off")}


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(label="Publish at (IST)", widget=LocalDateTimeInput(),
                               input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M",
                                              "%Y-%m-%dT%H:%M:%S"])

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or publish now.")
        return when


class CorrectionForm(ContentMixin, forms.Form):
    note = forms.CharField(label="Public change note", max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Shown on the release as “Updated on …: note”.")


class TranslationForm(ContentMixin, forms.Form):
    language = forms.ModelChoiceField(queryset=Language.objects.none())
    note = forms.CharField(required=False, max_length=500,
                           help_text="For an update: what changed (shown in the history).")

    field_order = ["language", "title", "subtitles", "body_html", "sign_off", "note"]

    def __init__(self, *args, original_language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.exclude(code=original_language)


class PreviewGrantForm(forms.Form):
    journalist = forms.ModelChoiceField(queryset=Journalist.objects.filter(accredited=True),
                                        help_text="Accredited journalists only.")
    expires_at = forms.DateTimeField(label="Link expires at (IST)", widget=LocalDateTimeInput(),
                                     input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"])

    MAX_DAYS = 14

    def clean_expires_at(self):
        when = self.cleaned_data["expires_at"]
        now = timezone.now()
        if when <= now:
            raise forms.ValidationError("The expiry must be in the future.")
        if when > now + timedelta(days=self.MAX_DAYS):
            raise forms.ValidationError(f"Preview links last {self.MAX_DAYS} days at most.")
        return when
