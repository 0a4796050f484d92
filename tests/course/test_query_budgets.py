"""The offering, participant and dashboard pages cost the same number of queries for 100 students
as for 10,000."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from course.models import Enrolment, Offering, OfferingLink
from lessons.models import LectureCompletion, LecturePage
from tests.factories import make_course, make_enrolment, make_enrolments, make_institution, make_offering, make_user

pytestmark = pytest.mark.django_db

DASHBOARD_BUDGET = 20
CERTIFICATE_BUDGET = 4
SIGNED_IN_CERTIFICATE_BUDGET = 9
OFFERING_BUDGET = 9  # 6 for the offering, 3 for the site layout (navigation, language switcher)
SIGNED_IN_OFFERING_BUDGET = 12
PARTICIPANTS_BUDGET = 16  # 11 for the lists, 5 for progress and certificates
SIGNED_IN_COURSE_BUDGET = 17  # 11 for the course page as anyone reads it, 6 for the enrolment and progress
SIZES = (100, 10_000)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def offering(site_tree):
    offering = make_offering(
        make_course(site_tree, modules=1, lectures_per_module=1).course,
        mode=Offering.Mode.EXTRAMURAL,
        enrolment_policy=Offering.Policy.APPROVAL,
        capacity=1000,
    )
    offering.staff = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    return offering


def grow_to(offering, size):
    have = offering.enrolments.filter(role=Enrolment.Role.STUDENT).count()
    active = make_enrolments(offering, (size - have) // 2)
    lecture_keys = list(LecturePage.objects.descendant_of(offering.course).values_list("translation_key", flat=True))
    LectureCompletion.objects.bulk_create(
        [LectureCompletion(enrolment=enrolment, lecture_key=lecture_keys[0]) for enrolment in active[::2]]
    )
    make_enrolments(offering, size - have - (size - have) // 2, status=Enrolment.Status.PENDING)
    for _ in range(size // 100):
        offering.partners.add(make_institution())
        OfferingLink.objects.create(offering=offering, label="Group", url="https://example.org/group")


def measure(client, url, budget, assert_max_queries):
    client.get(url)
    cache.clear()
    with assert_max_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_offering_page_budget_is_flat_for_anonymous_readers(client, offering, django_assert_max_num_queries):
    url = reverse("course:offering", args=[offering.slug])
    pages = []
    for size in SIZES:
        grow_to(offering, size)
        pages.append(measure(client, url, OFFERING_BUDGET, django_assert_max_num_queries))
    assert pages[1].count("<li>") > pages[0].count("<li>")


def test_offering_page_budget_is_flat_for_a_signed_in_student(client, offering, django_assert_max_num_queries):
    student = make_user()
    make_enrolment(offering, user=student)
    client.force_login(student)
    url = reverse("course:offering", args=[offering.slug])
    for size in SIZES:
        grow_to(offering, size)
        assert "Withdraw" in measure(client, url, SIGNED_IN_OFFERING_BUDGET, django_assert_max_num_queries)


def test_participants_page_budget_is_flat(client, offering, django_assert_max_num_queries):
    client.force_login(offering.staff)
    url = reverse("course:participants", args=[offering.slug])
    pages = []
    for size in SIZES:
        grow_to(offering, size)
        pages.append(measure(client, url, PARTICIPANTS_BUDGET, django_assert_max_num_queries))
    assert pages[1].count('class="participant"') > pages[0].count('class="participant"') > 0
    assert pages[1].count('class="pending-request"') > pages[0].count('class="pending-request"') > 0


def test_dashboard_budget_is_flat(client, site_tree, offering, django_assert_max_num_queries):
    from lessons.progress import mark_complete

    student = make_user()
    make_enrolment(offering, user=student)
    make_enrolment(offering, role=Enrolment.Role.PROFESSOR, user=make_user())
    other = make_offering(make_course(site_tree, modules=2, lectures_per_module=2).course)
    make_enrolment(other, user=student)
    mark_complete(student, LecturePage.objects.descendant_of(other.course).first())
    client.force_login(student)
    for size in SIZES:
        grow_to(offering, size)
        grow_to(other, size)
        html = measure(client, reverse("learning:dashboard"), DASHBOARD_BUDGET, django_assert_max_num_queries)
        assert html.count("<progress") == 2 and "1 of 4 done (25%)" in html


def test_certificate_pages_budget_is_flat(client, offering, django_assert_max_num_queries):
    from lessons.progress import mark_complete

    student = make_enrolment(offering, status=Enrolment.Status.ACTIVE)
    # The offering's one lecture read: the course is complete and the certificate issued.
    mark_complete(student.user, LecturePage.objects.descendant_of(offering.course).get())
    certificate = student.user.certificates.get()
    for size in SIZES:
        grow_to(offering, size)
        client.logout()
        assert "Valid" in measure(client, certificate.get_absolute_url(), CERTIFICATE_BUDGET,
                                  django_assert_max_num_queries)
        client.force_login(offering.staff)  # a manager sees the revoke link too
        assert "Revoke this certificate" in measure(
            client, certificate.get_absolute_url(), SIGNED_IN_CERTIFICATE_BUDGET, django_assert_max_num_queries
        )


def test_course_page_budget_is_flat_for_an_enrolled_student(client, offering, django_assert_max_num_queries):
    student = make_user()
    enrolment = make_enrolment(offering, user=student)
    client.force_login(student)
    url = offering.course.url
    lecture = LecturePage.objects.descendant_of(offering.course).first()
    for size in SIZES:
        grow_to(offering, size)
        html = measure(client, url, SIGNED_IN_COURSE_BUDGET, django_assert_max_num_queries)
        assert "<progress" in html
        LectureCompletion.objects.get_or_create(enrolment=enrolment, lecture_key=lecture.translation_key)
