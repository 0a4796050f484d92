"""The permission matrix of adoption: every role of the cast against every adoption action.
Anonymous people are sent to sign in, everyone else without the right gets 403 and changes nothing;
a coordinator of B never sees or changes A's adoption, copy or changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from course.adoption_models import Adoption, AdoptionStatusChange, PageLineage
from lessons.models import LecturePage
from tests.cast import ROLES
from tests.course.adoption_fixtures import adopt_now, make_master

pytestmark = pytest.mark.django_db

COORDINATORS = {"coordinator_a", "coordinator_b", "superuser"}
OF_A = {"coordinator_a", "superuser"}
MASTER_OWNERS = {"superuser"}  # the master belongs to the ministry; nobody of the cast edits for it


@pytest.fixture
def adopted(site_tree, cast):
    master = make_master(site_tree, modules=1, lectures_per_module=2, languages=False, owner=cast.ministry)
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    source = LecturePage.objects.get(pk=master.lectures[0].pk)
    source.title = "Changed upstream"
    source.save_revision().publish()
    row = PageLineage.objects.get(adoption=adoption, source=source)
    return master, adoption, row


def expected(role, allowed, ok=200):
    if role == "anonymous":
        return 302
    return ok if role in allowed else 403


def as_role(client, cast, role):
    if role != "anonymous":
        client.force_login(cast.people[role])
    return client


def check(response, role, allowed, ok=200):
    assert response.status_code == expected(role, allowed, ok), (role, response.status_code)
    if role == "anonymous":
        assert "/login/" in response.url


@pytest.mark.parametrize("role", ROLES)
def test_adopt_page(client, cast, adopted, role):
    master, _, _ = adopted
    check(as_role(client, cast, role).get(reverse("adoptions:adopt", args=[master.course.pk])), role, COORDINATORS)


@pytest.mark.parametrize("role", ROLES)
def test_adopting_for_a(client, cast, site_tree, role):
    master = make_master(site_tree, modules=1, lectures_per_module=1, languages=False)
    response = as_role(client, cast, role).post(
        reverse("adoptions:adopt", args=[master.course.pk]), {"institution": cast.a.pk}
    )
    # A coordinator of B may use the form, but A is not among its choices.
    check(response, role, {"coordinator_a", "superuser", "coordinator_b"}, ok=302 if role in OF_A else 400)
    assert Adoption.objects.filter(institution=cast.a).exists() is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["detail", "changes"])
def test_adoption_pages_of_a(client, cast, adopted, role, view):
    _, adoption, _ = adopted
    check(as_role(client, cast, role).get(reverse(f"adoptions:{view}", args=[adoption.pk])), role, OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_diff_of_a_change_of_a(client, cast, adopted, role):
    _, adoption, row = adopted
    check(as_role(client, cast, role).get(reverse("adoptions:change", args=[adoption.pk, row.pk])), role, OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_pull_into_as_copy(client, cast, adopted, role):
    _, adoption, row = adopted
    response = as_role(client, cast, role).post(reverse("adoptions:pull", args=[adoption.pk, row.pk]))
    check(response, role, OF_A, ok=302)
    assert (LecturePage.objects.get(pk=row.page_id).title == "Changed upstream") is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_decline_for_as_copy(client, cast, adopted, role):
    _, adoption, row = adopted
    response = as_role(client, cast, role).post(reverse("adoptions:decline", args=[adoption.pk, row.pk]))
    check(response, role, OF_A, ok=302)
    row.refresh_from_db()
    assert (row.declined_revision_id is not None) is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_status_of_as_adoption(client, cast, adopted, role):
    _, adoption, _ = adopted
    response = as_role(client, cast, role).post(
        reverse("adoptions:status", args=[adoption.pk]), {"status": "piloting", "changed_on": timezone.localdate()}
    )
    check(response, role, OF_A, ok=302)
    assert AdoptionStatusChange.objects.filter(adoption=adoption, status="piloting").exists() is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_who_adopted_the_master(client, cast, adopted, role):
    master, _, _ = adopted
    check(as_role(client, cast, role).get(reverse("adoptions:adopters", args=[master.course.pk])), role, MASTER_OWNERS)


@pytest.mark.parametrize("role", ROLES)
def test_my_adoptions_lists_only_ones_own(client, cast, adopted, role):
    response = as_role(client, cast, role).get(reverse("adoptions:index"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Export Controls" in response.content.decode()) is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_editing_as_copy_in_the_wagtail_admin(client, cast, adopted, role):
    _, adoption, row = adopted
    response = as_role(client, cast, role).get(reverse("wagtailadmin_pages:edit", args=[row.page_id]))
    if role in OF_A:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert response.status_code == 302 or role != "anonymous"


def test_as_editors_are_refused_on_the_master_and_on_bs_copy(client, cast, adopted):
    master, adoption, row = adopted
    b_adoption = adopt_now(cast.coordinator_b, master.course, cast.b)
    b_lecture = PageLineage.objects.get(adoption=b_adoption, source=master.lectures[0]).page_id
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[row.page_id])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[adoption.copy_id])).status_code == 200
    for forbidden in (master.lectures[0].pk, master.course.pk, b_lecture, b_adoption.copy_id, cast.pages.a.pk):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[forbidden]))
        assert response.status_code != 200, forbidden
    client.force_login(cast.coordinator_b)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[row.page_id])).status_code != 200
    assert client.get(reverse("adoptions:detail", args=[adoption.pk])).status_code == 403


def test_an_unknown_adoption_is_not_found(client, cast, adopted):
    client.force_login(cast.superuser)
    assert client.get(reverse("adoptions:detail", args=[99999])).status_code == 404
    _, adoption, _ = adopted
    assert client.get(reverse("adoptions:change", args=[adoption.pk, 99999])).status_code == 404
