"""The permission matrix of adoption: every role of the cast against every adoption action.
Anonymous people are sent to sign in, everyone else without the right gets 403 and changes nothing;
a coordinator of B never sees or changes A's adoption, copy or changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from course.adoption_models import Adoption, AdoptionStatusChange, PageLineage
from lessons.models import LecturePage
from network.models import Membership
from tests.cast import ROLES
from tests.course.adoption_fixtures import adopt_now, edit_master, make_master
from tests.factories import make_lecture, make_membership, make_person

pytestmark = pytest.mark.django_db

COORDINATORS = {"coordinator_a", "coordinator_b", "superuser"}
OF_A = {"coordinator_a", "superuser"}
ADMIN_USERS = {"professor", "coordinator_a", "coordinator_b", "superuser"}  # Professors group, editor groups
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
    elif role in ADMIN_USERS:  # may use the admin, not on this page: back to the dashboard
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_as_editors_are_refused_on_the_master_and_on_bs_copy(client, cast, adopted):
    master, adoption, row = adopted
    b_adoption = adopt_now(cast.coordinator_b, master.course, cast.b)
    b_lecture = PageLineage.objects.get(adoption=b_adoption, source=master.lectures[0]).page_id
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[row.page_id])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[adoption.copy_id])).status_code == 200
    for forbidden in (master.lectures[0].pk, master.course.pk, b_lecture, b_adoption.copy_id, cast.pages.b.pk):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[forbidden]))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home")), forbidden
    client.force_login(cast.coordinator_b)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[row.page_id]))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert client.get(reverse("adoptions:detail", args=[adoption.pk])).status_code == 403


def test_an_unknown_adoption_is_not_found(client, cast, adopted):
    client.force_login(cast.superuser)
    assert client.get(reverse("adoptions:detail", args=[99999])).status_code == 404
    _, adoption, _ = adopted
    assert client.get(reverse("adoptions:change", args=[adoption.pk, 99999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_new_master_page_to_as_copy(client, cast, adopted, role):
    master, adoption, _ = adopted
    new = make_lecture(master.modules[0], number=9, title="New upstream")
    response = as_role(client, cast, role).post(reverse("adoptions:pull_new", args=[adoption.pk, new.pk]))
    check(response, role, OF_A, ok=302)
    assert PageLineage.objects.filter(adoption=adoption, source=new).exists() is (role in OF_A)


@pytest.mark.parametrize("role", ROLES)
def test_retrying_as_failed_copy(client, cast, adopted, role):
    _, adoption, _ = adopted
    Adoption.objects.filter(pk=adoption.pk).update(copy_state=Adoption.CopyState.FAILED)
    response = as_role(client, cast, role).post(reverse("adoptions:retry", args=[adoption.pk]))
    check(response, role, OF_A, ok=302)
    state = Adoption.objects.get(pk=adoption.pk).copy_state
    assert (state != Adoption.CopyState.FAILED) is (role in OF_A)


@pytest.fixture
def editor_a(cast):
    editor = make_person(display_name="Editor of A", institution=cast.a)
    make_membership(editor, cast.a, Membership.Role.EDITOR)
    return editor


def test_an_editor_of_a_keeps_as_copy_current_but_does_not_manage_the_adoption(client, cast, adopted, editor_a):
    master, adoption, row = adopted
    other = PageLineage.objects.get(adoption=adoption, source=master.lectures[1])
    edit_master(master.lectures[1], title="Also changed upstream")
    new = make_lecture(master.modules[0], number=9, title="New upstream")
    client.force_login(editor_a)

    for view, args in (("detail", [adoption.pk]), ("changes", [adoption.pk]), ("change", [adoption.pk, row.pk])):
        assert client.get(reverse(f"adoptions:{view}", args=args)).status_code == 200, view
    assert client.post(reverse("adoptions:pull", args=[adoption.pk, row.pk])).status_code == 302
    assert LecturePage.objects.get(pk=row.page_id).title == "Changed upstream"
    assert client.post(reverse("adoptions:decline", args=[adoption.pk, other.pk])).status_code == 302
    assert PageLineage.objects.get(pk=other.pk).declined_revision_id is not None
    assert client.post(reverse("adoptions:pull_new", args=[adoption.pk, new.pk])).status_code == 302
    assert PageLineage.objects.filter(adoption=adoption, source=new).exists()

    # The adoption's status, its retries and adopting more are the coordinators' decisions.
    response = client.post(reverse("adoptions:status", args=[adoption.pk]),
                           {"status": "delivering", "changed_on": timezone.localdate()})
    assert response.status_code == 403
    assert not AdoptionStatusChange.objects.filter(adoption=adoption, status="delivering").exists()
    Adoption.objects.filter(pk=adoption.pk).update(copy_state=Adoption.CopyState.FAILED)
    assert client.post(reverse("adoptions:retry", args=[adoption.pk])).status_code == 403
    assert Adoption.objects.get(pk=adoption.pk).copy_state == Adoption.CopyState.FAILED
    assert client.get(reverse("adoptions:adopt", args=[master.course.pk])).status_code == 403


def test_an_editor_of_a_edits_as_copy_in_the_admin_and_nothing_else(client, cast, adopted, editor_a):
    master, adoption, row = adopted
    b_adoption = adopt_now(cast.coordinator_b, master.course, cast.b)
    b_lecture = PageLineage.objects.get(adoption=b_adoption, source=master.lectures[0]).page_id
    client.force_login(editor_a)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[row.page_id])).status_code == 200
    for forbidden in (master.lectures[0].pk, master.course.pk, b_lecture, b_adoption.copy_id):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[forbidden]))
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), forbidden


def test_b_cannot_reach_as_changes_through_its_own_adoption(client, cast, adopted):
    master, adoption, row = adopted
    b_adoption = adopt_now(cast.coordinator_b, master.course, cast.b)
    a_local = make_lecture(LecturePage.objects.get(pk=row.page_id).get_parent(), number=9, title="A's own lecture")
    client.force_login(cast.coordinator_b)
    for view in ("change", "pull", "decline"):
        method = client.get if view == "change" else client.post
        response = method(reverse(f"adoptions:{view}", args=[b_adoption.pk, row.pk]))
        assert response.status_code == 404, view
    # A page of A's copy is no master page B could add to its own copy.
    client.post(reverse("adoptions:pull_new", args=[b_adoption.pk, a_local.pk]))
    assert not PageLineage.objects.filter(adoption=b_adoption, source=a_local).exists()
    copy = LecturePage.objects.get(pk=row.page_id)
    assert copy.title != "Changed upstream"
    row.refresh_from_db()
    assert row.declined_revision_id is None


@pytest.mark.parametrize("role", ROLES)
def test_leaving_a_new_master_page_out_of_as_copy(client, cast, adopted, role):
    master, adoption, _ = adopted
    new = make_lecture(master.modules[0], number=9, title="New upstream")
    response = as_role(client, cast, role).post(reverse("adoptions:decline_new", args=[adoption.pk, new.pk]))
    check(response, role, OF_A, ok=302)
    assert adoption.declined_pages.filter(source=new).exists() is (role in OF_A)


def test_b_finds_none_of_as_copy_in_the_admins_explorer_or_search(client, cast, adopted):
    master, adoption, row = adopted
    copy = LecturePage.objects.get(pk=row.page_id)
    copy.title = "Licensing in Kyiv"
    copy.save_revision().publish()
    b_adoption = adopt_now(cast.coordinator_b, master.course, cast.b)
    client.force_login(cast.coordinator_b)
    edit_copy = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "Licensing in Kyiv"}).content.decode()
    assert edit_copy not in found
    # Wagtail sends B back to the part of the tree B may explore, where A's copy is not.
    response = client.get(reverse("wagtailadmin_explore", args=[adoption.copy_id]), follow=True)
    assert response.redirect_chain and reverse("wagtailadmin_explore", args=[adoption.copy_id]) not in (
        url for url, _status in response.redirect_chain
    )
    assert reverse("wagtailadmin_explore", args=[adoption.copy_id]) not in response.content.decode()
    assert client.get(reverse("wagtailadmin_explore", args=[b_adoption.copy_id])).status_code == 200
    client.force_login(cast.coordinator_a)
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "Licensing in Kyiv"}).content.decode()
    assert edit_copy in found
