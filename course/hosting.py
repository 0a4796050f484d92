"""The offerings an institution hosts, as its coordinators create and change them. The host is
never part of the form: it is the institution whose pages the coordinator is on, so nobody can
create or edit an offering for an institution they do not coordinate."""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from network.models import Institution

from .adoption_models import Adoption
from .models import CourseIndexPage, CoursePage, Offering

OFFERING_FIELDS = [
    "course", "cohort", "slug", "starts_on", "ends_on", "time_zone", "language", "mode", "partners",
    "enrolment_policy", "capacity", "counts_attendance",
]


def courses_to_offer(institution):
    """Live courses in the source language that ``institution`` may run: the master courses (those
    directly under a course index) and its own adopted copies, never another institution's."""
    masters = [
        Q(path__startswith=path, depth=depth + 1)
        for path, depth in CourseIndexPage.objects.values_list("path", "depth")
    ]
    own_copies = Q(pk__in=Adoption.objects.filter(institution=institution, copy__isnull=False).values("copy"))
    return (
        CoursePage.objects.live()
        .filter(locale=Locale.get_default())
        .filter(reduce(or_, masters, own_copies))
        .order_by("title")
    )


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
        course_choices = courses_to_offer(host)
        if self.instance.course_id:  # a course unpublished since stays choosable for its offerings
            course_choices = CoursePage.objects.filter(
                Q(pk__in=course_choices.values("pk")) | Q(pk=self.instance.course_id)
            ).order_by("title")
        self.fields["course"].queryset = course_choices
        self.fields["partners"].queryset = Institution.objects.exclude(pk=host.pk).order_by("name")
        self.fields["partners"].required = False
