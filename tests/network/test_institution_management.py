"""The management pages of an institution's members: only its coordinators and superusers get in;
anonymous people are sent to sign in, everyone else is refused and nothing changes."""

import pytest
from django.urls import reverse

from network.models import Membership
from tests.cast import ROLES
from tests.factories import make_membership, make_person

pytestmark = pytest.mark.django_db
Role = Membership.Role

MAY_MANAGE_A = {"coordinator_a", "superuser"}


def as_role(client, cast, role):
    if role != "anonymous":
        client.force_login(cast.people[role])
    return client


def url(name, *args):
    return reverse(f"institutions:{name}", args=args)


def assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert "next=/en/institutions/uni-a/manage/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_view_the_manage_page(client, cast, role):
    response = as_role(client, cast, role).get(url("manage", "uni-a"))
    if role in MAY_MANAGE_A:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Coordinator of A" in html and cast.professor.email in html
        assert "Coordinator of B" not in html
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_add_a_member(client, cast, role):
    newcomer = make_person(email="newcomer@example.org")
    response = as_role(client, cast, role).post(
        url("add_member", "uni-a"), {"email": "Newcomer@example.org", "role": Role.PROFESSOR}
    )
    added = Membership.objects.filter(person=newcomer, institution=cast.a, role=Role.PROFESSOR).exists()
    if role in MAY_MANAGE_A:
        assert response.status_code == 302 and added
    else:
        assert_refused(response, role)
        assert not Membership.objects.filter(person=newcomer).exists()


@pytest.mark.parametrize("role", ROLES)
def test_change_a_role(client, cast, role):
    membership = Membership.objects.get(person=cast.professor, institution=cast.a)
    response = as_role(client, cast, role).post(url("change_role", "uni-a", membership.pk), {"role": Role.EDITOR})
    membership.refresh_from_db()
    if role in MAY_MANAGE_A:
        assert response.status_code == 302 and membership.role == Role.EDITOR
    else:
        assert_refused(response, role)
        assert membership.role == Role.PROFESSOR


@pytest.mark.parametrize("role", ROLES)
def test_remove_a_member(client, cast, role):
    membership = Membership.objects.get(person=cast.professor, institution=cast.a)
    response = as_role(client, cast, role).post(url("remove_member", "uni-a", membership.pk))
    exists = Membership.objects.filter(pk=membership.pk).exists()
    if role in MAY_MANAGE_A:
        assert response.status_code == 302 and not exists
    else:
        assert_refused(response, role)
        assert exists


def test_a_coordinator_of_b_cannot_reach_as_members_through_bs_pages(client, cast):
    client.force_login(cast.coordinator_b)
    membership = Membership.objects.get(person=cast.professor, institution=cast.a)
    assert client.post(url("change_role", "uni-b", membership.pk), {"role": Role.STUDENT}).status_code == 404
    assert client.post(url("remove_member", "uni-b", membership.pk)).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.PROFESSOR


def test_an_unknown_email_points_to_an_invitation_and_adds_nobody(client, cast):
    client.force_login(cast.coordinator_a)
    before = Membership.objects.count()
    response = client.post(url("add_member", "uni-a"), {"email": "stranger@example.org", "role": Role.STUDENT})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody has an account with this email address yet" in html
    assert 'class="notice unknown-email"' in html
    assert f'href="/en/invitations/institution/{cast.a.pk}/">Invite this person to join the institution' in html
    assert Membership.objects.count() == before


def test_a_double_submit_adds_once_and_says_so(client, cast):
    client.force_login(cast.coordinator_a)
    person = make_person(display_name="Ivan Petrenko")
    data = {"email": person.email, "role": Role.STAFF}
    client.post(url("add_member", "uni-a"), data)
    response = client.post(url("add_member", "uni-a"), data, follow=True)
    assert "Ivan Petrenko already holds the role Staff here; nothing changed." in response.content.decode()
    assert Membership.objects.filter(person=person, institution=cast.a).count() == 1


def test_the_last_coordinator_cannot_remove_themselves(client, cast):
    client.force_login(cast.coordinator_a)
    mine = Membership.objects.get(person=cast.coordinator_a, institution=cast.a)
    response = client.post(url("remove_member", "uni-a", mine.pk), follow=True)
    assert "An institution needs at least one coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_an_unknown_role_changes_nothing(client, cast):
    client.force_login(cast.coordinator_a)
    membership = Membership.objects.get(person=cast.professor, institution=cast.a)
    response = client.post(url("change_role", "uni-a", membership.pk), {"role": "dean"}, follow=True)
    assert "Choose one of the roles in the list." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.PROFESSOR


def test_members_filter_by_role_and_come_a_page_at_a_time(client, cast):
    for _ in range(55):
        make_membership(make_person(), cast.a, Role.STUDENT)
    client.force_login(cast.coordinator_a)
    response = client.get(url("manage", "uni-a"))
    assert response.context["items"].paginator.count == 58 and len(response.context["items"]) == 50
    professors = client.get(url("manage", "uni-a") + "?role=professor")
    assert [m.person for m in professors.context["items"]] == [cast.professor]
    empty = client.get(url("manage", "uni-a") + "?role=decision-maker").content.decode()
    assert "Nobody holds this role here." in empty


def test_an_unknown_institution_is_not_found(client, cast):
    client.force_login(cast.superuser)
    assert client.get(url("manage", "no-such-place")).status_code == 404
