"""The certificate a student earns by completing an offering."""

from wagtail.models import Locale

from network import certificates
from network.models import Certificate


def course_title_in(course, language_code):
    """The course's title in the offering's language of instruction, when it has been translated."""
    locale = Locale.objects.filter(language_code=language_code).first()
    translation = course.get_translation_or_none(locale) if locale else None
    return (translation or course).title


def award_certificate(enrolment):
    offering = enrolment.offering
    return certificates.issue(
        recipient=enrolment.user,
        title=course_title_in(offering.course, offering.language),
        issuer=offering.host,
        source=enrolment,
        kind=Certificate.Kind.COURSE_COMPLETION,
        issued_on=enrolment.completed_at.astimezone(offering.zone()).date(),
    )
