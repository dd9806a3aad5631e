from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from pressroom.releases.models import Bureau, Language, Ministry

from .models import EMAIL_LANGUAGES, Subscription

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


def refuse_line_breaks(value: str) -> None:
    if any(ch in str(value) for ch in "\r\n\x00"):
        raise forms.ValidationError(_("This field cannot hold line breaks."))


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             validators=[refuse_line_breaks, validate_email])
    kind = forms.ChoiceField(label=_("What to follow"), choices=Subscription.Kind.choices)
    ministry = forms.ModelChoiceField(Ministry.objects.all(), to_field_name="slug", required=False,
                                      label=_("Ministry"))
    bureau = forms.ModelChoiceField(Bureau.objects.all(), to_field_name="slug", required=False,
                                    label=_("Bureau"))
    lang = forms.ModelChoiceField(Language.objects.all(), to_field_name="code", required=False,
                                  label=_("Language"))
    q = forms.CharField(required=False, max_length=500, label=_("Search words"),
                        validators=[refuse_line_breaks])
    frequency = forms.ChoiceField(label=_("How often"), choices=Subscription.Frequency.choices,
                                  initial=Subscription.Frequency.IMMEDIATE, widget=forms.RadioSelect)
    digest_hour = forms.TypedChoiceField(label=_("Digest time (IST)"), choices=HOURS, coerce=int,
                                         initial=8, required=False)
    email_language = forms.ChoiceField(label=_("Language of the e-mails"), choices=EMAIL_LANGUAGES,
                                       initial="en")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        need = {"ministry": "ministry", "bureau": "bureau", "language": "lang"}.get(kind)
        if need and not data.get(need):
            self.add_error(need, _("Choose what to follow."))
        if kind == Subscription.Kind.SEARCH and not (data.get("q") or "").strip():
            self.add_error("q", _("A saved search needs words to look for."))
        if data.get("digest_hour") is None:
            data["digest_hour"] = 8
        return data


class ChangeForm(forms.Form):
    """One subscription's settings on the manage page."""

    subscription = forms.IntegerField(widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("How often"), choices=Subscription.Frequency.choices)
    digest_hour = forms.TypedChoiceField(label=_("Digest time (IST)"), choices=HOURS, coerce=int)
    email_language = forms.ChoiceField(label=_("Language of the e-mails"), choices=EMAIL_LANGUAGES)
    paused = forms.BooleanField(label=_("Paused"), required=False)


class WebhookForm(forms.Form):
    url = forms.URLField(max_length=500, assume_scheme="https", validators=[refuse_line_breaks])
    ministry = forms.ModelChoiceField(Ministry.objects.all(), to_field_name="slug", required=False)
    bureau = forms.ModelChoiceField(Bureau.objects.all(), to_field_name="slug", required=False)
    lang = forms.ModelChoiceField(Language.objects.all(), to_field_name="code", required=False)
    q = forms.CharField(required=False, max_length=500, validators=[refuse_line_breaks])
