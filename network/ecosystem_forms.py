"""The filters of the ecosystem map and of the participation reports (GET forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from .ecosystem import Filters, Period
from .models import Institution
from .participation import GRANULARITIES, GROUPS, ReportRequest


def country_choices(codes):
    return sorted(((code, all_countries.name(code) or code) for code in codes), key=lambda choice: choice[1])


class EcosystemFilterForm(forms.Form):
    country = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("No institution of the network is in “%(value)s”.")},
    )
    kind = forms.MultipleChoiceField(
        label=_("Kinds of institution"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=Institution.Kind.choices,
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of institution.")},
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."), code="period")
        return cleaned

    def period(self):
        return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))

    def filters(self):
        return Filters(
            countries=tuple(sorted(self.cleaned_data.get("country") or ())),
            kinds=tuple(sorted(self.cleaned_data.get("kind") or ())),
            period=self.period(),
        )


class ReportForm(EcosystemFilterForm):
    group = forms.ChoiceField(
        label=_("Count by"), choices=list(GROUPS.items()), required=False, widget=forms.RadioSelect,
    )
    granularity = forms.ChoiceField(
        label=_("Period"), choices=[(key, label) for key, (label, _trunc) in GRANULARITIES.items()],
        required=False, widget=forms.RadioSelect,
    )

    field_order = ["group", "granularity", "start", "end", "country", "kind"]

    def report_request(self):
        filters = self.filters()
        return ReportRequest(
            group=self.cleaned_data.get("group") or "country",
            granularity=self.cleaned_data.get("granularity") or "quarter",
            period=filters.period, countries=filters.countries, kinds=filters.kinds,
        )
