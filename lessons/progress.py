"""Marking lectures complete, and the lecture requirement of an offering's completion rule."""

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from course import completion
from course.learning import student_enrolments
from course.models import Enrolment

from .models import LectureCompletion, LecturePage


class ProgressRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class LectureRequirement(completion.PageRequirement):
    key = "lectures"
    label = _("Lectures")

    def counted(self):
        return LecturePage.objects.live()

    def done_rows(self, enrolment_ids):
        return LectureCompletion.objects.filter(enrolment_id__in=enrolment_ids).annotate(key=F("lecture_key"))

    def next_steps(self, enrolments, language_code):
        """The first lecture (in course order) each learner has not marked, in their language when
        it has been translated."""
        courses = {enrolment.offering.course_id: enrolment.offering.course for enrolment in enrolments}
        in_courses = Q()
        for course in courses.values():
            in_courses |= Q(path__startswith=course.path, depth__gt=course.depth)
        fields = ("path", "translation_key", "title", "url_path")
        lectures = list(LecturePage.objects.live().filter(in_courses).order_by("path").only(*fields))
        done = set(
            LectureCompletion.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", "lecture_key")
        )
        chosen = {}
        for enrolment in enrolments:
            course_path = courses[enrolment.offering.course_id].path
            chosen[enrolment.pk] = next(
                (
                    lecture
                    for lecture in lectures
                    if lecture.path.startswith(course_path) and (enrolment.pk, lecture.translation_key) not in done
                ),
                None,
            )
        localized = {
            lecture.translation_key: lecture
            for lecture in LecturePage.objects.live()
            .filter(
                translation_key__in=[lecture.translation_key for lecture in chosen.values() if lecture],
                locale__language_code=language_code,
            )
            .only("title", "url_path", "translation_key")
        }
        return {
            enrolment_id: localized.get(lecture.translation_key, lecture)
            for enrolment_id, lecture in chosen.items()
            if lecture is not None
        }


def _refusal(user, lecture):
    if student_enrolments(user, lecture).filter(status=Enrolment.Status.COMPLETED).exists():
        return ProgressRefused(_("You have completed this course; its record is final."))
    return ProgressRefused(_("Only students taking an offering of this course can record their progress."))


@transaction.atomic
def mark_complete(user, lecture):
    """Record that ``user`` has worked through ``lecture`` in each of their active offerings of its
    course. Returns the enrolments this completed."""
    enrolments = list(student_enrolments(user, lecture).filter(status=Enrolment.Status.ACTIVE))
    if not enrolments:
        raise _refusal(user, lecture)
    finished = []
    for enrolment in enrolments:
        # A double submit finds the first mark and adds none.
        LectureCompletion.objects.get_or_create(enrolment=enrolment, lecture_key=lecture.translation_key)
        if completion.complete_if_done(enrolment):
            finished.append(enrolment)
    return finished


@transaction.atomic
def undo(user, lecture):
    enrolments = list(student_enrolments(user, lecture).filter(status=Enrolment.Status.ACTIVE))
    if not enrolments:
        raise _refusal(user, lecture)
    LectureCompletion.objects.filter(enrolment__in=enrolments, lecture_key=lecture.translation_key).delete()
