"""Members' roles at an institution: adding, changing and removing them keeps the institution's
editor group in step, never leaves it without a coordinator and never fails on a double submit."""

import pytest
from allauth.account.models import EmailAddress

from network import memberships
from network.editors import editor_group
from network.models import Membership
from tests.factories import make_institution, make_membership, make_person

pytestmark = pytest.mark.django_db

Role = Membership.Role


def in_editor_group(person, institution):
    return person.groups.filter(pk=editor_group(institution).pk).exists()


def test_a_membership_in_an_editing_role_puts_the_person_in_the_editor_group(cast):
    person = make_person()
    make_membership(person, cast.a, Role.EDITOR)
    assert in_editor_group(person, cast.a)
    assert not in_editor_group(person, cast.b)
    assert in_editor_group(cast.coordinator_a, cast.a) and not in_editor_group(cast.student, cast.a)


def test_losing_the_last_editing_role_leaves_the_group(cast):
    person = make_person()
    editor = make_membership(person, cast.a, Role.EDITOR)
    coordinator = make_membership(person, cast.a, Role.COORDINATOR)
    editor.delete()
    assert in_editor_group(person, cast.a)
    memberships.change_role(coordinator, Role.PROFESSOR)
    assert not in_editor_group(person, cast.a)
    assert set(Membership.objects.filter(person=person).values_list("role", flat=True)) == {Role.PROFESSOR}


def test_a_person_holds_several_roles_at_several_institutions(cast):
    person = make_person()
    for institution, role in [(cast.a, Role.PROFESSOR), (cast.a, Role.EDITOR), (cast.b, Role.STUDENT)]:
        assert memberships.add(institution, person, role)[1] is True
    assert Membership.objects.filter(person=person).count() == 3
    assert in_editor_group(person, cast.a) and not in_editor_group(person, cast.b)


def test_adding_a_role_twice_returns_the_existing_membership(cast):
    first, created = memberships.add(cast.a, cast.student, Role.STUDENT)
    assert created is False and Membership.objects.filter(person=cast.student, institution=cast.a).count() == 1
    assert first.role == Role.STUDENT


def test_the_last_coordinator_can_be_neither_removed_nor_demoted(cast):
    only = Membership.objects.get(institution=cast.a, role=Role.COORDINATOR)
    with pytest.raises(memberships.MembershipRefused, match="at least one coordinator"):
        memberships.remove(only)
    with pytest.raises(memberships.MembershipRefused):
        memberships.change_role(only, Role.STAFF)
    assert Membership.objects.filter(pk=only.pk, role=Role.COORDINATOR).exists()
    second = make_membership(make_person(), cast.a, Role.COORDINATOR)
    memberships.remove(only)
    assert list(Membership.objects.filter(institution=cast.a, role=Role.COORDINATOR)) == [second]


def test_an_inactive_coordinator_does_not_count_as_the_other_one(cast):
    inactive = make_person()
    make_membership(inactive, cast.a, Role.COORDINATOR)
    inactive.is_active = False
    inactive.save()
    with pytest.raises(memberships.MembershipRefused):
        memberships.remove(Membership.objects.get(person=cast.coordinator_a, institution=cast.a))


def test_changing_to_a_role_already_held_merges_the_two(cast):
    person = make_person()
    staff = make_membership(person, cast.a, Role.STAFF)
    professor = make_membership(person, cast.a, Role.PROFESSOR)
    assert memberships.change_role(staff, Role.PROFESSOR) == professor
    assert list(Membership.objects.filter(person=person)) == [professor]


def test_people_are_found_by_any_of_their_addresses_whatever_the_case(db):
    person = make_person(email="Olena.Koval@Example.org")
    assert memberships.person_by_email(" olena.koval@example.org ") == person
    assert memberships.person_by_email("nobody@example.org") is None
    assert memberships.person_by_email("") is None


def test_an_address_added_without_confirming_it_finds_nobody(db):
    squatter = make_person(email="squatter@example.org")
    EmailAddress.objects.create(user=squatter, email="victim@example.org", verified=False, primary=False)
    assert memberships.person_by_email("victim@example.org") is None
    owner = make_person(email="owner@example.org")
    EmailAddress.objects.create(user=owner, email="second@example.org", verified=True, primary=False)
    assert memberships.person_by_email("SECOND@example.org") == owner


def test_deleting_an_institution_or_a_person_cascades_quietly(db):
    institution, person = make_institution(), make_person()
    make_membership(person, institution, Role.COORDINATOR)
    person.delete()
    institution.delete()
    assert not Membership.objects.exists()
