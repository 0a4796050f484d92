"""What course adds to the ecosystem map and the participation reports: adoptions, shared
offerings and students from other institutions as links; enrolled students as participation.
Registered from ``CourseConfig.ready()``."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from network import ecosystem, participation

from .adoption_models import Adoption
from .models import Enrolment, Offering

PARTICIPATING = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


def adoptions(period):
    """The adopting institution and the owner of the master course: one per adoption."""
    return (
        Adoption.objects.filter(period.on("created_at"), source__owning_institution__isnull=False)
        .values_list("institution_id", "source__owning_institution_id")
        .annotate(people=Count("pk"))
        .order_by()
    )


def shared_offerings(period):
    """The host of an offering and each partner institution: one per offering."""
    return (
        Offering.partners.through.objects.filter(period.overlapping("offering__starts_on", "offering__ends_on"))
        .values_list("offering__host_id", "institution_id")
        .annotate(people=Count("offering_id", distinct=True))
        .order_by()
    )


def students(period):
    return Enrolment.objects.filter(
        period.on("created_at"), role=Enrolment.Role.STUDENT, status__in=PARTICIPATING
    )


def visiting_students(period):
    """An offering's host and the home institution of each student from elsewhere: one per student."""
    return (
        students(period)
        .exclude(user__profile__institution_id=F("offering__host_id"))
        .values_list("offering__host_id", "user__profile__institution_id")
        .annotate(people=Count("user_id", distinct=True))
        .order_by()
    )


def enrolled(period, bucket):
    """Students enrolled (active or completed), by home institution and ``bucket`` of enrolment."""
    return (
        students(period)
        .annotate(when=bucket("created_at"))
        .values_list("user__profile__institution_id", "when")
        .annotate(people=Count("user_id", distinct=True))
        .order_by()
    )


def register():
    ecosystem.register(ecosystem.EdgeSource(
        "adoption", _("Adoptions"), adoptions, ("course.Adoption", "course.CoursePage"), order=10,
    ))
    ecosystem.register(ecosystem.EdgeSource(
        "shared-offering", _("Shared offerings"), shared_offerings, ("course.Offering",), order=30,
    ))
    ecosystem.register(ecosystem.EdgeSource(
        "extra-mural", _("Students from another institution"), visiting_students,
        ("course.Enrolment", "network.Profile"), order=40,
    ))
    participation.register(participation.ParticipationSource(
        "enrolled", _("Enrolled students"), enrolled, order=10,
    ))
