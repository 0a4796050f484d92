"""The learner's "My learning" page: what they take, where they stand, what to read next."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail import hooks

from network.models import Certificate

from .completion import Progress, next_steps, progress_across
from .models import CoursePage, Enrolment

# Later features (live sessions, quizzes) add sections to the page through this hook: each
# function takes the request and returns HTML, or nothing when it has nothing to show.
PANELS_HOOK = "learning_dashboard_panels"


@dataclass
class Card:
    enrolment: Enrolment
    course: CoursePage
    progress: Progress | None = None
    next_page: object = None
    certificate: Certificate | None = None


def learner_cards(user, language_code):
    """A card per offering the user studies in (not teaches), newest first, in a fixed number of
    queries per offering."""
    enrolments = list(
        Enrolment.objects.filter(user=user, role=Enrolment.Role.STUDENT)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("offering__course", "offering__host")
        .order_by("-offering__starts_on", "-pk")
    )
    courses = localized_courses([enrolment.offering.course for enrolment in enrolments], language_code)
    counting = [enrolment for enrolment in enrolments if enrolment.status != Enrolment.Status.PENDING]
    progress = progress_across(counting)
    steps = next_steps([e for e in counting if e.status == Enrolment.Status.ACTIVE], language_code)
    certificates = {
        certificate.source_id: certificate
        for certificate in Certificate.objects.filter(
            source_type=ContentType.objects.get_for_model(Enrolment), source_id__in=[e.pk for e in counting]
        )
    }
    return [
        Card(
            enrolment=enrolment,
            course=courses.get(enrolment.offering.course.translation_key, enrolment.offering.course),
            progress=progress.get(enrolment.pk),
            next_page=steps.get(enrolment.pk),
            certificate=certificates.get(enrolment.pk),
        )
        for enrolment in enrolments
    ]


def teaching(user):
    return list(
        Enrolment.objects.filter(user=user, role__in=Enrolment.STAFF_ROLES, status=Enrolment.Status.ACTIVE)
        .select_related("offering__course", "offering__host")
        .order_by("-offering__starts_on", "-pk")
    )


def localized_courses(courses, language_code):
    """``{translation_key: course}`` in the reader's language where the course has been translated."""
    return {
        course.translation_key: course
        for course in CoursePage.objects.live().filter(
            translation_key__in=[course.translation_key for course in courses], locale__language_code=language_code
        )
    }


def extra_panels(request):
    return [html for panel in hooks.get_hooks(PANELS_HOOK) if (html := panel(request))]
