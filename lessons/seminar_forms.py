from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.models import Institution

from .seminar_models import SeminarPresentation, SeminarRegistration


class ApplicantForm(forms.Form):
    """Registration for someone without an account (or not signed in)."""

    name = forms.CharField(label=_("Your name"), max_length=150, help_text=_("As it should appear on a certificate."))
    email = forms.EmailField(label=_("Email"), max_length=254)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.only("pk", "name"),
        required=False,
        empty_label=_("Not in the list"),
    )
    institution_name = forms.CharField(
        label=_("Institution not in the list"), max_length=255, required=False,
        help_text=_("Type the name of your institution if you cannot find it in the list."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "---------"), *countries], required=False)
    career_stage = forms.ChoiceField(
        label=_("Career stage"), choices=[("", "---------"), *SeminarRegistration.CareerStage.choices]
    )

    def __init__(self, *args, invited_email="", **kwargs):
        super().__init__(*args, **kwargs)
        if invited_email:
            # The invitation names the address: the form registers that one, whatever is posted.
            self.fields["email"].initial = invited_email
            self.fields["email"].disabled = True

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        cleaned["institution_name"] = (cleaned.get("institution_name") or "").strip()
        if cleaned.get("institution") and cleaned["institution_name"]:
            self.add_error(
                "institution_name", _("Choose your institution from the list or type its name, not both.")
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address (optional)"), required=False,
        help_text=_("With an address, the link is mailed there and registers only that address. "
                    "Without one, you get a link to share."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PresentationForm(forms.ModelForm):
    class Meta:
        model = SeminarPresentation
        fields = ["session", "title", "abstract", "slides"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"abstract": _("Plain text, a few paragraphs at most.")}

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].empty_label = None
        self.fields["session"].label_from_instance = lambda session: session.title


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class AttendanceForm(forms.Form):
    """Who attended a session, out of the series' registered participants; any other id makes the
    form invalid."""

    present = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, participant_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(pk, pk) for pk in participant_ids]
