"""The offerings an institution hosts, as its coordinators create and change them. The host is
never part of the form: it is the institution whose pages the coordinator is on, so nobody can
create or edit an offering for an institution they do not coordinate."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from network.models import Institution

from .models import CoursePage, Offering

OFFERING_FIELDS = [
    "course", "cohort", "slug", "starts_on", "ends_on", "time_zone", "language", "mode", "partners",
    "enrolment_policy", "capacity", "counts_attendance",
]


def courses_to_offer():
    """Live courses in the source language: the master courses and the institutions' adopted copies."""
    return CoursePage.objects.live().filter(locale=Locale.get_default()).order_by("title")


def hosted_by(institution):
    return Offering.objects.filter(host=institution).select_related("course").order_by("-starts_on", "cohort")


def current_hosted_by(institution):
    """The offerings of ``institution`` that have not ended, soonest first."""
    return (
        Offering.objects.filter(host=institution, ends_on__gte=timezone.localdate())
        .select_related("course")
        .order_by("starts_on", "cohort")
    )


class HostedOfferingForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = OFFERING_FIELDS
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.host = host
        course_choices = courses_to_offer()
        if self.instance.course_id:  # a course unpublished since stays choosable for its offerings
            course_choices = CoursePage.objects.filter(
                Q(pk__in=course_choices.values("pk")) | Q(pk=self.instance.course_id)
            ).order_by("title")
        self.fields["course"].queryset = course_choices
        self.fields["partners"].queryset = Institution.objects.exclude(pk=host.pk).order_by("name")
        self.fields["partners"].required = False
