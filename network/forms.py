from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Institution, Profile, available_time_zones


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        error_messages={"invalid_choice": _("“%(value)s” is not a time zone we know. Choose one from the list.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("“%(value)s” is not a language of this site. Choose one from the list.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Home institution"),
        queryset=Institution.objects.only("pk", "name"),
        required=False,
        empty_label=_("Not in the list"),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name", "institution", "institution_name", "position", "preferred_language", "time_zone", "bio"
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone.replace("_", " ")) for zone in available_time_zones()]


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The reason is shown to anyone who checks the certificate."),
        error_messages={"required": _("Give the reason for revoking this certificate.")},
    )
