"""What lessons adds to the ecosystem map and the participation reports: seminar participants link
the series' institution to their own; attendance counts as participation. Registered from
``LessonsConfig.ready()``."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from network import ecosystem, participation

from .seminar_models import SeminarAttendance, SeminarRegistration


def seminar_participants(period):
    """The series' institution and each registered participant's home institution: one per person."""
    return (
        SeminarRegistration.objects.filter(period.on("queued_at"), status=SeminarRegistration.Status.REGISTERED)
        .exclude(user__profile__institution_id=F("series__institution_id"))
        .values_list("series__institution_id", "user__profile__institution_id")
        .annotate(people=Count("user_id", distinct=True))
        .order_by()
    )


def attended(period, bucket):
    """People who attended a seminar session, by home institution and ``bucket`` of the session."""
    return (
        SeminarAttendance.objects.filter(period.on("session__starts_at"))
        .annotate(when=bucket("session__starts_at"))
        .values_list("registration__user__profile__institution_id", "when")
        .annotate(people=Count("registration__user_id", distinct=True))
        .order_by()
    )


def register():
    ecosystem.register(ecosystem.EdgeSource(
        "seminar", _("Seminar participants"), seminar_participants,
        ("lessons.SeminarRegistration", "network.Profile"), order=50,
    ))
    participation.register(participation.ParticipationSource(
        "seminar", _("Attended seminars"), attended, order=20,
    ))
