from django import forms
from django.utils.translation import gettext_lazy as _

from . import invitation_csv
from .invitations import DEFAULT_DAYS, MAX_DAYS, MAX_USES
from .models import Institution


def _days_field():
    return forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS,
        help_text=_("The link stops working after this many days (at most %(days)s).") % {"days": MAX_DAYS},
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.only("pk", "name"), required=False,
        empty_label=_("Not in the list"),
    )
    institution_name = forms.CharField(
        label=_("Institution not in the list"), max_length=255, required=False,
        help_text=_("Type the name of the person's institution if it is not in the list."),
    )
    role = forms.ChoiceField(label=_("Invited as"))
    days = _days_field()
    max_uses = forms.IntegerField(
        label=_("May be used by"), min_value=1, max_value=MAX_USES, initial=1,
        help_text=_("How many people may accept with this link: 1 for a personal invitation."),
    )

    def __init__(self, *args, roles, default_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["role"].initial = default_role

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        cleaned["institution_name"] = (cleaned.get("institution_name") or "").strip()
        if cleaned.get("institution") and cleaned["institution_name"]:
            self.add_error("institution_name", _("Choose the institution from the list or type its name, not both."))
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One person per line, under a header line naming the columns name, email, institution, role "
            "(commas or semicolons, UTF-8). At most %(rows)s people and %(size)s KB."
        ) % {"rows": invitation_csv.MAX_ROWS, "size": invitation_csv.MAX_BYTES // 1024},
    )
    days = _days_field()
