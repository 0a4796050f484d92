"""A lecture's neighbours and glossary terms, each in one query, are what Wagtail's lookups give."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from lessons.lectures import lecture_context, public_siblings
from lessons.models import LecturePage
from tests.factories import make_term, translate_page, translate_term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("restricted", ["none", "sibling", "lecture", "module", "course", "home"])
def test_public_siblings_are_what_public_gives(course_tree, site_tree, restricted):
    lecture = course_tree.lectures[0]
    target = {"sibling": course_tree.lectures[1], "lecture": lecture, "module": course_tree.modules[0],
              "course": course_tree.course, "home": site_tree.home}.get(restricted)
    if target is not None:
        PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
    for page in (lecture, course_tree.lectures[3]):
        assert list(public_siblings(page).live()) == list(LecturePage.objects.sibling_of(page).live().public())


def test_glossary_blocks_get_the_terms_wagtail_would_load(course_tree):
    kept, gone = make_term("Kept"), make_term("Gone")
    translated = translate_term(kept, "uk", term="Збережений")
    lecture = course_tree.lectures[0]
    lecture.body = [("glossary_term", kept), ("heading", "Between"), ("glossary_term", kept), ("glossary_term", gone)]
    lecture.save_revision().publish()
    gone.delete()
    uk_lecture = translate_page(lecture, "uk", title="Лекція")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.user = AnonymousUser()

    for page, expected_term in ((lecture, kept), (uk_lecture, translated)):
        page = LecturePage.objects.get(pk=page.pk)
        wagtails = [block.value for block in LecturePage.objects.get(pk=page.pk).body]
        with CaptureQueriesContext(connection) as queries:
            terms = lecture_context(page, request)["glossary_terms"]
            values = [block.value for block in page.body]
        assert values == wagtails
        assert values[0] is not values[2]  # one object per use, as the block gives
        assert {pk: term.pk for pk, term in terms.items()} == {kept.pk: expected_term.pk}
        assert len([query for query in queries.captured_queries if "lessons_glossaryterm" in query["sql"]]) == 1
