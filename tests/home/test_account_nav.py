"""The header's account links live in pages the anonymous page cache shares between readers."""

import pytest

from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_anonymous_readers_get_cacheable_links_without_a_csrf_token(client, course_tree):
    lecture = course_tree.lectures[0]

    first = client.get(lecture.url)
    second = client.get(lecture.url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    html = second.content.decode()
    assert f'href="/en/accounts/login/?next={lecture.url}"' in html
    assert 'href="/en/accounts/signup/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "Sign out" not in html


def test_signed_in_people_get_their_profile_and_a_sign_out_form_never_cached(client, course_tree):
    lecture = course_tree.lectures[0]
    client.get(lecture.url)  # an anonymous copy is in the cache now
    client.force_login(make_person())

    response = client.get(lecture.url)

    assert "X-Page-Cache" not in response
    html = response.content.decode()
    assert 'href="/en/accounts/profile/"' in html
    assert 'action="/en/accounts/logout/"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Sign in" not in html
