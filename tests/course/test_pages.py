import pytest

from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_course_page_lists_its_modules_in_order_with_facts(client, site_tree):
    built = make_course(site_tree, modules=3, lectures_per_module=1, ects_credits=6)
    response = client.get(built.course.url)
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(module.title) for module in built.modules]
    assert positions == sorted(positions)
    assert "6 ECTS" in html
    assert built.course.owning_institution.name in html


def test_module_page_lists_lectures_and_links_back_to_the_course(client, course_tree):
    module = course_tree.modules[0]
    response = client.get(module.url)
    html = response.content.decode()
    for lecture in course_tree.lectures[:3]:
        assert lecture.title in html
    assert course_tree.course.title in html  # breadcrumb


def test_empty_course_says_no_module_is_published(client, site_tree):
    built = make_course(site_tree, modules=0)
    response = client.get(built.course.url)
    assert "No module has been published yet." in response.content.decode()


def test_unpublished_module_is_not_listed(client, course_tree):
    hidden = course_tree.modules[1]
    address = hidden.url
    hidden.unpublish()
    html = client.get(course_tree.course.url).content.decode()
    assert hidden.title not in html
    assert client.get(address).status_code == 404


def test_a_module_accepts_only_pages_that_belong_in_a_module():
    from wagtail.models import Page

    from course.models import CourseIndexPage, ModulePage
    from lessons.models import GlossaryPage, LecturePage

    allowed = ModulePage.allowed_subpage_models()
    assert LecturePage in allowed
    assert not {CourseIndexPage, GlossaryPage, ModulePage, Page} & set(allowed)


def test_course_page_lists_current_offerings_in_every_language_tree(client, course_tree):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_offering, translate_page

    course = course_tree.course
    current = make_offering(course, cohort="Kyiv autumn cohort")
    make_offering(
        course,
        cohort="Finished cohort",
        starts_on=timezone.localdate() - timedelta(days=90),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    html = client.get(course.url).content.decode()
    assert "Kyiv autumn cohort" in html and current.host.name in html
    assert f'href="/en/offerings/{current.slug}/"' in html
    assert "Finished cohort" not in html

    translated = translate_page(course, "uk", title="Експортний контроль")
    assert "Kyiv autumn cohort" in client.get(translated.url).content.decode()


def test_course_page_without_offerings_says_so(client, course_tree):
    assert "No run of this course is open at the moment." in client.get(course_tree.course.url).content.decode()
