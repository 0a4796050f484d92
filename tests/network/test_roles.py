import pytest

from network.editors import editor_group, grant_pages
from network.roles import coordinated_institutions, coordinates
from tests.cast import ROLES

pytestmark = pytest.mark.django_db

MAY_COORDINATE_A = {"coordinator_a", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_only_a_coordinator_of_a_or_a_superuser_coordinates_a(cast, role):
    assert coordinates(cast.people[role], cast.a) is (role in MAY_COORDINATE_A)


def test_a_coordinator_coordinates_only_their_institution(cast):
    assert list(coordinated_institutions(cast.coordinator_b)) == [cast.b]
    assert list(coordinated_institutions(cast.student)) == []
    assert set(coordinated_institutions(cast.superuser)) >= {cast.a, cast.b}


def test_the_editor_group_is_made_once_with_a_collection_of_its_own(cast):
    group = editor_group(cast.a)
    assert editor_group(cast.a) == group
    cast.a.refresh_from_db()
    assert cast.a.collection.name == "University A"
    assert group.collection_permissions.filter(collection=cast.a.collection).count() == 6
    assert editor_group(cast.b) != group


def test_granted_pages_are_editable_by_the_group_and_nothing_else(cast):
    grant_pages(cast.a, [cast.pages.a])
    editor = cast.coordinator_a
    editor.groups.add(editor_group(cast.a))
    assert cast.pages.a.permissions_for_user(editor).can_edit()
    assert cast.pages.a.permissions_for_user(editor).can_publish()
    assert not cast.pages.b.permissions_for_user(editor).can_edit()
    assert not cast.pages.a.get_parent().permissions_for_user(editor).can_edit()


def test_an_editor_group_is_never_taken_over_by_name(cast):
    from django.contrib.auth.models import Group

    from tests.factories import make_institution

    newcomer = make_institution(short_name="newcomer")
    squatter = Group.objects.create(name="Editors: newcomer")  # made by hand, with its own members
    squatter.user_set.add(cast.student)
    group = editor_group(newcomer)
    assert group != squatter and not group.user_set.filter(pk=cast.student.pk).exists()


def test_a_renamed_institution_and_a_newcomer_with_its_old_short_name_keep_their_own_groups(cast):
    from tests.factories import make_institution

    old_group = editor_group(cast.a)
    cast.a.refresh_from_db()
    cast.a.short_name = "kyiv-uni"
    cast.a.save()
    newcomer = make_institution(name="Another University", short_name="uni-a")
    assert editor_group(newcomer) != old_group
    cast.a.refresh_from_db()
    assert cast.a.editors == old_group
