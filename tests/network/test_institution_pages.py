"""An institution's public profile: its facts, units, people counted by role (coordinators named,
nobody's email), its current offerings and the courses it adopted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Institution, Membership
from tests.factories import (
    make_course,
    make_institution,
    make_institution_page,
    make_membership,
    make_offering,
    make_person,
)

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_shows_the_facts_units_and_parent(client, cast, site_tree):
    cast.a.website = "https://uni-a.example.org"
    cast.a.save()
    faculty = make_institution(name="Faculty of Chemistry", parent=cast.a, kind=Institution.Kind.FACULTY)
    faculty_page = make_institution_page(site_tree, faculty)
    html = client.get(cast.pages.a.url).content.decode()
    assert "<h1>University A</h1>" in html
    assert "Kyiv, Ukraine" in html and 'href="https://uni-a.example.org"' in html
    assert f'<a href="{faculty_page.url}">Faculty of Chemistry</a>' in html
    faculty_html = client.get(faculty_page.url).content.decode()
    assert f'<a href="{cast.pages.a.url}">University A</a>' in faculty_html and "Faculty or department" in faculty_html


def test_counts_members_by_role_and_names_only_coordinators(client, cast):
    html = client.get(cast.pages.a.url).content.decode()
    assert "Coordinators: Coordinator of A" in html
    for person in (cast.student, cast.professor, cast.coordinator_a):
        assert person.email not in html
    assert "Student of A" not in html
    counts = dict(client.get(cast.pages.a.url).context["member_counts"])
    assert counts == {"Student": 1, "Professor": 1, "Coordinator": 1}


def test_inactive_people_are_not_counted(client, cast):
    cast.student.is_active = False
    cast.student.save()
    assert "Student" not in dict(client.get(cast.pages.a.url).context["member_counts"])


def test_lists_the_current_offerings_it_hosts(client, cast, site_tree):
    course = make_course(site_tree, modules=1, lectures_per_module=1, title="Export controls").course
    current = make_offering(course, host=cast.a, cohort="Spring cohort")
    make_offering(
        course, host=cast.a, cohort="Old cohort",
        starts_on=timezone.localdate() - timedelta(days=90), ends_on=timezone.localdate() - timedelta(days=30),
    )
    make_offering(course, host=cast.b, cohort="B's cohort")
    html = client.get(cast.pages.a.url).content.decode()
    assert f'href="/en/offerings/{current.slug}/"' in html and "Export controls: Spring cohort" in html
    assert "Old cohort" not in html and "B&#x27;s cohort" not in html and "B's cohort" not in html


def test_lists_adopted_courses_under_it(client, cast, site_tree):
    from course.models import CoursePage

    copy = cast.pages.a.add_child(instance=CoursePage(title="Export controls at A", slug="export-controls",
                                                      summary="Adopted.", owning_institution=cast.a))
    html = client.get(cast.pages.a.url).content.decode()
    assert f'<a href="{copy.url}">Export controls at A</a>' in html
    assert "has not adopted a course yet" in client.get(cast.pages.b.url).content.decode()


@pytest.mark.parametrize("role, sees_link", [
    ("anonymous", False), ("student", False), ("professor", False), ("coordinator_a", True),
    ("coordinator_b", False), ("superuser", True),
])
def test_the_manage_link_shows_to_those_who_may_manage(client, cast, role, sees_link):
    if role != "anonymous":
        client.force_login(cast.people[role])
    html = client.get(cast.pages.a.url).content.decode()
    assert ("/en/institutions/uni-a/manage/" in html) is sees_link


def test_an_unnamed_coordinator_is_counted_not_shown_by_email(client, cast):
    nameless = make_person(email="quiet@example.org")
    make_membership(nameless, cast.b, Role.COORDINATOR)
    html = client.get(cast.pages.b.url).content.decode()
    assert "quiet@example.org" not in html and "Coordinators: Coordinator of B" in html


def test_shows_the_logo_and_reads_in_the_readers_language(client, cast):
    from tests.factories import make_image, sync_language_trees, translate_page

    cast.a.logo = make_image(title="Logo of A")
    cast.a.save()
    sync_language_trees("uk")
    translate_page(cast.pages.a, "uk", title="Університет А", about="<p>Технічний університет.</p>")
    response = client.get("/uk/network/uni-a/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Університет А</h1>" in html and "Технічний університет." in html and "Україна" in html
    assert 'class="institution-logo"' in html and 'alt=""' in html
