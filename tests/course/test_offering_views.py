"""The offering page and its enrol, withdraw and approve buttons, as a browser would use them."""

import pytest
from django.urls import reverse

from course.models import Enrolment, Offering
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_user

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status


@pytest.fixture
def course(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=1).course


def url(name, offering, *args):
    return reverse(f"course:{name}", args=[offering.slug, *args])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_offering_page_shows_the_facts_and_a_sign_in_link_to_anonymous_readers(client, course):
    host, partner = make_institution(name="Taras Shevchenko University"), make_institution(name="Ilia State")
    offering = make_offering(
        course, host=host, partners=[partner], mode=Offering.Mode.EXTRAMURAL, capacity=30,
        links=[("Telegram group", "https://t.me/example")],
    )
    make_enrolment(offering)
    response = client.get(url("offering", offering))
    html = response.content.decode()
    assert response.status_code == 200
    assert url("offering", offering).startswith("/en/offerings/")
    for text in (course.title, offering.cohort, host.name, partner.name, "Extra-mural", "Open", "Europe/Kyiv",
                 "Telegram group", 'href="https://t.me/example"'):
        assert text in html
    assert '<dd class="seats-left">29</dd>' in html
    assert f'href="/en/accounts/login/?next=%2Fen%2Fofferings%2F{offering.slug}%2F"' in html
    assert url("enrol", offering) not in html


def test_offering_page_is_in_the_readers_language(client, course):
    offering = make_offering(course)
    response = client.get(reverse("course:offering", args=[offering.slug]).replace("/en/", "/uk/", 1))
    assert response.status_code == 200
    assert "Заклад-організатор" in response.content.decode()


def test_unknown_offering_is_404(client, site_tree):
    assert client.get("/en/offerings/no-such-offering/").status_code == 404


def test_student_enrols_in_an_open_offering_and_then_withdraws(client, course):
    offering, student = make_offering(course), make_user()
    client.force_login(student)
    html = client.get(url("offering", offering)).content.decode()
    assert f'action="{url("enrol", offering)}"' in html and "csrfmiddlewaretoken" in html
    response = client.post(url("enrol", offering), follow=True)
    assert response.redirect_chain[-1][0] == url("offering", offering)
    assert messages_of(response) == ["You are enrolled. Welcome to the course!"]
    assert Enrolment.objects.get(user=student, offering=offering).status == Status.ACTIVE
    assert f'action="{url("withdraw", offering)}"' in response.content.decode()

    response = client.post(url("withdraw", offering), follow=True)
    assert messages_of(response) == ["You have withdrawn from this offering."]
    assert Enrolment.objects.get(user=student, offering=offering).status == Status.WITHDRAWN


def test_double_submit_of_enrol_is_harmless(client, course):
    offering, student = make_offering(course), make_user()
    client.force_login(student)
    client.post(url("enrol", offering), follow=True)
    response = client.post(url("enrol", offering), follow=True)
    assert messages_of(response) == ["You are already enrolled in this offering."]
    assert Enrolment.objects.filter(user=student).count() == 1


@pytest.mark.parametrize("fields, institution_fits, expected", [
    ({"capacity": 0}, True, "This offering is full: every seat is taken."),
    ({"enrolment_policy": Offering.Policy.INVITATION}, True, "by invitation only"),
    ({"mode": Offering.Mode.EXTRAMURAL}, False, "partner institutions only"),
])
def test_refusals_are_explained_and_change_nothing(client, course, fields, institution_fits, expected):
    offering = make_offering(course, **fields)
    client.force_login(make_user())
    response = client.post(url("enrol", offering), follow=True)
    assert response.status_code == 200
    assert any(expected in message for message in messages_of(response))
    assert expected.split(":")[0] in response.content.decode()
    assert not Enrolment.objects.filter(offering=offering).exists()


def test_approval_offering_sends_a_request(client, course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    client.force_login(make_user())
    assert "Ask to enrol" in client.get(url("offering", offering)).content.decode()
    response = client.post(url("enrol", offering), follow=True)
    assert "A professor of this offering will review it." in messages_of(response)[0]
    assert "Cancel my request" in response.content.decode()


def test_anonymous_post_is_sent_to_sign_in(client, course):
    offering = make_offering(course)
    response = client.post(url("enrol", offering))
    assert response.status_code == 302
    # Back to the offering page after signing in, not to an endpoint that answers POST only.
    assert response["Location"] == f"/en/accounts/login/?next=/en/offerings/{offering.slug}/"
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("name", ["enrol", "withdraw"])
def test_state_changes_refuse_get(client, course, name):
    offering = make_offering(course)
    client.force_login(make_enrolment(offering).user)
    assert client.get(url(name, offering)).status_code == 405
    assert Enrolment.objects.get(offering=offering).status == Status.ACTIVE


def test_approve_refuses_get(client, course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    client.force_login(make_enrolment(offering, role=Role.PROFESSOR).user)
    request = make_enrolment(offering, status=Status.PENDING)
    assert client.get(url("approve", offering, request.pk)).status_code == 405
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_csrf_is_required(course):
    from django.test import Client

    offering, student = make_offering(course), make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post(url("enrol", offering)).status_code == 403
    assert not Enrolment.objects.exists()


def test_withdraw_without_an_enrolment_is_404(client, course):
    offering = make_offering(course)
    client.force_login(make_user())
    assert client.post(url("withdraw", offering)).status_code == 404


def test_professor_approves_a_pending_request(client, course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    request = make_enrolment(offering, user=make_user(first_name="Nino", last_name="Beridze"), status=Status.PENDING)
    client.force_login(professor)
    html = client.get(url("participants", offering)).content.decode()
    assert f'action="{url("approve", offering, request.pk)}"' in html
    response = client.post(url("approve", offering, request.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("participants", offering)
    assert messages_of(response) == ["Nino Beridze is now enrolled."]
    request.refresh_from_db()
    assert request.status == Status.ACTIVE
    # A second click changes nothing and says so.
    response = client.post(url("approve", offering, request.pk), follow=True)
    assert "already been decided" in messages_of(response)[0]


def test_tampered_enrolment_id_from_another_offering_is_404(client, course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    other = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    client.force_login(make_enrolment(offering, role=Role.PROFESSOR).user)
    foreign = make_enrolment(other, status=Status.PENDING)
    assert client.post(url("approve", offering, foreign.pk)).status_code == 404
    assert client.post(url("approve", offering, 999999)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.PENDING


def test_student_cannot_approve_through_the_url(client, course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    student = make_enrolment(offering).user
    request = make_enrolment(offering, status=Status.PENDING)
    client.force_login(student)
    assert client.post(url("approve", offering, request.pk)).status_code == 403
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_professor_sees_a_link_to_participants_on_the_offering_page(client, course):
    offering = make_offering(course)
    client.force_login(make_enrolment(offering, role=Role.PROFESSOR).user)
    html = client.get(url("offering", offering)).content.decode()
    assert url("participants", offering) in html
    assert url("enrol", offering) not in html


def test_extramural_offering_admits_a_student_whose_profile_names_a_partner(client, course):
    from django.apps import apps

    try:
        Profile = apps.get_model("network", "Profile")
    except LookupError:
        pytest.skip("profiles arrive with the accounts work")
    partner = make_institution()
    offering = make_offering(course, partners=[partner], mode=Offering.Mode.EXTRAMURAL)
    student = make_user()
    Profile.objects.update_or_create(user=student, defaults={"institution": partner})
    client.force_login(student)
    response = client.post(url("enrol", offering), follow=True)
    assert messages_of(response) == ["You are enrolled. Welcome to the course!"]
    assert Enrolment.objects.get(user=student).status == Status.ACTIVE


def test_offering_page_names_and_links_the_course_in_the_readers_language(client, course):
    from tests.factories import sync_language_trees, translate_page

    sync_language_trees("uk")
    translated = translate_page(course, "uk", title="Експортний контроль")
    offering = make_offering(course)
    html = client.get(reverse("course:offering", args=[offering.slug]).replace("/en/", "/uk/", 1)).content.decode()
    assert f'<a href="{translated.url}">Експортний контроль</a>' in html
