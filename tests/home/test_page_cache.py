import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_anonymous_page_is_served_from_cache_until_content_changes(client, course_tree):
    lecture = course_tree.lectures[0]
    first = client.get(lecture.url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(lecture.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    for header in ("Content-Type", "Content-Language", "X-Frame-Options"):
        assert second[header] == first[header]

    lecture.title = "A renamed lecture"
    lecture.save_revision().publish()
    third = client.get(lecture.url)
    assert third["X-Page-Cache"] == "miss"
    assert "A renamed lecture" in third.content.decode()


def test_cache_hit_runs_no_database_query(client, course_tree, django_assert_num_queries):
    lecture = course_tree.lectures[0]
    client.get(lecture.url)
    with django_assert_num_queries(0):
        assert client.get(lecture.url)["X-Page-Cache"] == "hit"


def test_signed_in_readers_and_query_strings_bypass_the_cache(client, course_tree):
    lecture = course_tree.lectures[0]
    client.get(lecture.url)
    assert "X-Page-Cache" not in client.get(lecture.url, {"utm": "x"})
    client.force_login(User.objects.create_user("reader", password="pw-reader-1"))
    assert "X-Page-Cache" not in client.get(lecture.url)


def test_not_found_pages_are_not_cached(client, site_tree):
    client.get("/en/courses/no-such-course/")
    assert "X-Page-Cache" not in client.get("/en/courses/no-such-course/")


def test_invitations_leave_cached_pages_alone_and_memberships_refresh_them(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    from network.models import Invitation
    from tests.factories import make_membership, make_person

    profile_url = cast.pages.a.url
    client.get(profile_url)
    Invitation.objects.create(
        target=cast.a, email="guest@example.org", invited_by=cast.coordinator_a,
        expires_at=timezone.now() + timedelta(days=3),
    )
    assert client.get(profile_url)["X-Page-Cache"] == "hit"  # no page shows invitations
    make_membership(make_person(), cast.a, "coordinator")
    assert client.get(profile_url)["X-Page-Cache"] == "miss"  # the profile counts members and names coordinators
