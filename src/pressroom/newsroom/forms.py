"""Newsroom forms. Choices are limited to what the signed-in officer may use, so a forged
field naming another ministry is an invalid choice, never a saved draft."""

import json
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pressroom.releases.limits import SIGN_OFF_MAX, TITLE_MAX
from pressroom.releases.models import Bureau, Language

from .editing import clean_body
from .models import Draft, Journalist
from .permissions import ministries_for, officer_of

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class BodyWidget(forms.Textarea):
    """The textarea the editor script enhances; its toolbar's words, in the officer's
    language, ride along in a data attribute (the script has no catalogue of its own)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-labels"] = json.dumps({
            "bold": gettext("Bold"), "italic": gettext("Italic"),
            "insertParagraph": gettext("Paragraph"),
            "insertUnorderedList": gettext("Bulleted list"),
            "insertOrderedList": gettext("Numbered list"), "createLink": gettext("Link"),
            "unlink": gettext("Remove link"), "table": gettext("Table"),
            "headerRow": gettext("Header row"), "addRow": gettext("Add row"),
            "removeRow": gettext("Remove row"), "addColumn": gettext("Add column"),
            "removeColumn": gettext("Remove column"), "removeFormat": gettext("Clear formatting"),
            "toolbar": gettext("Body formatting"),
            "linkPrompt": gettext("Link address (https://…)")}, ensure_ascii=False)
        return context


class BodyField(forms.CharField):
    """The body editor: a textarea that a small script may turn into a toolbar editor."""

    widget = BodyWidget(attrs={"rows": 18, "class": "body-editor", "data-editor": "body"})

    def clean(self, value):
        return clean_body(super().clean(value))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class ContentMixin(forms.Form):
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}),
                            max_length=TITLE_MAX)
    subtitles = forms.CharField(label=_("Subtitles"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Highlight lines shown under the title, one per line."))
    body_html = BodyField(label=_("Body"), required=False,
                          help_text=_("Paragraphs, lists, tables, links and emphasis are kept. "
                                      "Without the toolbar, type one paragraph per line; "
                                      "start lines with “- ” or “1. ” for lists."))
    sign_off = forms.CharField(label=_("Sign-off"), required=False, max_length=SIGN_OFF_MAX,
                               help_text=_("Initials of the people who cleared it, e.g. SRR/DK."))

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class DraftForm(ContentMixin, forms.Form):
    ministry = forms.ModelChoiceField(label=_("Ministry"), queryset=None)
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.all())
    language = forms.ModelChoiceField(label=_("Language"), queryset=Language.objects.all(),
                                      initial="en",
                                      help_text=_("The language the release is issued in."))
    translation_languages = forms.ModelMultipleChoiceField(
        label=_("Also put out in"), queryset=Language.objects.exclude(code="en"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each language becomes a task for its translators once the release is "
                    "approved; approved translations go out with the original."))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["ministry", "bureau", "language", "title", "subtitles", "body_html", "sign_off",
                   "translation_languages"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ministries = ministries_for(user)
        self.fields["ministry"].queryset = ministries
        if not self.is_bound and not self.initial.get("ministry"):
            # An officer of one ministry (and one bureau) starts with them chosen.
            only = list(ministries[:2])
            if len(only) == 1:
                self.initial["ministry"] = only[0].pk
            officer = officer_of(user)
            bureaus = list(officer.bureaus.all()[:2]) if officer else []
            if len(bureaus) != 1:
                bureaus = list(Bureau.objects.all()[:2])
            if len(bureaus) == 1:
                self.initial["bureau"] = bureaus[0].pk

    @classmethod
    def initial_from(cls, draft: Draft) -> dict:
        return {"ministry": draft.ministry_id, "bureau": draft.bureau_id,
                "language": draft.language_id, "title": draft.title,
                "subtitles": draft.subtitles, "body_html": draft.body_html,
                "sign_off": draft.sign_off, "lock_version": draft.lock_version,
                "translation_languages": list(draft.translation_languages.all())}

    def draft_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("ministry", "bureau", "language", "title", "subtitles",
                                  "body_html", "sign_off", "translation_languages")}


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(label=_("Publish at (IST)"), widget=LocalDateTimeInput(),
                               input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M",
                                              "%Y-%m-%dT%H:%M:%S"])

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or publish now."))
        return when


class CorrectionForm(ContentMixin, forms.Form):
    note = forms.CharField(label=_("Public change note"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Shown on the release as “Updated on …: note”."))
    major = forms.BooleanField(
        label=_("This is a major correction (a second press officer must approve it)"),
        required=False)
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def fingerprint(self) -> str:
        """What was previewed: publishing needs the preview of exactly this text."""
        import hashlib
        import json

        d = self.cleaned_data
        data = json.dumps([d.get(k) for k in ("title", "subtitles", "body_html", "sign_off",
                                              "note", "major")], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:32]


class TranslationForm(ContentMixin, forms.Form):
    language = forms.ModelChoiceField(label=_("Language"), queryset=Language.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           help_text=_("For an update: what changed (shown in the history)."))

    field_order = ["language", "title", "subtitles", "body_html", "sign_off", "note"]

    def __init__(self, *args, original_language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.exclude(code=original_language)


class PreviewGrantForm(forms.Form):
    journalist = forms.ModelChoiceField(label=_("Journalist"),
                                        queryset=Journalist.objects.filter(accredited=True),
                                        help_text=_("Accredited journalists only."))
    expires_at = forms.DateTimeField(label=_("Link expires at (IST)"), widget=LocalDateTimeInput(),
                                     input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"])

    MAX_DAYS = 14

    def clean_expires_at(self):
        when = self.cleaned_data["expires_at"]
        now = timezone.now()
        if when <= now:
            raise forms.ValidationError(_("The expiry must be in the future."))
        if when > now + timedelta(days=self.MAX_DAYS):
            raise forms.ValidationError(_("Preview links last %(n)s days at most.") % {"n": self.MAX_DAYS})
        return when


class TaskForm(ContentMixin, forms.Form):
    """A translation being drafted: the version's own title, subtitles, body and sign-off."""
