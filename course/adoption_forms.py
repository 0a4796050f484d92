from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .adoption_models import Adoption


class AdoptForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Adopt for"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Choose one of the institutions you coordinate that has not adopted it yet."),
        },
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Adoption.Status.choices)
    changed_on = forms.DateField(
        label=_("Since"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the decision or the programme it belongs to."),
    )

    def clean_changed_on(self):
        changed_on = self.cleaned_data["changed_on"]
        if changed_on > timezone.localdate():
            raise forms.ValidationError(_("A status change cannot be dated in the future."))
        return changed_on


class PullForm(forms.Form):
    replace_local_changes = forms.BooleanField(
        label=_("Replace our local changes"),
        required=False,
        help_text=_("Your institution changed this page. Tick this to replace your version with the master's."),
    )
