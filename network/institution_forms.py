"""The forms of an institution's management page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership


class MemberFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any"))] + list(Membership.Role.choices))


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address the person signs in with."), max_length=254
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.PROFESSOR)

    def __init__(self, *args, find_person, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_person = find_person
        self.person = None
        self.unknown_email = False

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.person = self.find_person(email)
        if self.person is None:
            self.unknown_email = True
            raise forms.ValidationError(
                _("Nobody has an account with this email address yet. Invite them: they join when they accept."),
                code="unknown_email",
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Membership.Role.choices)
