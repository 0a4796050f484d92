"""A learner's done pages across every requirement cost one query, and are what each requirement says."""

import pytest

from assessments.quiz_models import Attempt
from course import learning
from course.completion import requirements_of
from lessons.progress import mark_complete
from tests.factories import make_enrolment, make_offering, make_quiz

pytestmark = pytest.mark.django_db


def test_done_keys_of_every_requirement_come_from_one_query(course_tree, django_assert_num_queries):
    module = course_tree.modules[0]
    passed, failed = make_quiz(module), make_quiz(module)
    offering = make_offering(course_tree.course)
    enrolment = make_enrolment(offering)
    mark_complete(enrolment.user, course_tree.lectures[0])
    for quiz, passing in ((passed, True), (failed, False)):
        Attempt.objects.create(quiz=quiz, enrolment=enrolment, number=1, status=Attempt.Status.GRADED,
                               score=5 if passing else 1, max_score=6, passed=passing)
    expected = set().union(*(requirement.done_keys(enrolment) for requirement in requirements_of(offering)))
    assert expected == {course_tree.lectures[0].translation_key, passed.translation_key}
    with django_assert_num_queries(1):
        assert learning.done_keys(enrolment) == expected
