from datetime import UTC, datetime

import pytest

from network.accounts import LANGUAGE_SESSION_KEY, TIME_ZONE_SESSION_KEY
from tests.factories import make_institution, make_person

pytestmark = pytest.mark.django_db

URL = "/en/accounts/profile/"


def valid_data(**overrides):
    data = {
        "display_name": "Olena Shevchenko",
        "institution": "",
        "institution_name": "",
        "position": "Associate professor",
        "preferred_language": "en",
        "time_zone": "Europe/Kyiv",
        "bio": "<p>Teaches export control law.</p>",
    }
    return {**data, **overrides}


@pytest.fixture
def person(client):
    person = make_person(email="olena@example.org")
    client.force_login(person)
    return person


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={URL}"


def test_the_profile_page_shows_the_person_in_the_site_layout(client, person):
    html = client.get(URL).content.decode()

    assert 'class="site-header"' in html
    assert "olena@example.org" in html
    assert 'action="/en/accounts/logout/"' in html
    for name in valid_data():
        assert f'for="id_{name}"' in html


def test_saving_the_profile_keeps_every_field_and_applies_language_and_time_zone(client, person):
    institution = make_institution()

    response = client.post(
        URL, valid_data(institution=institution.pk, preferred_language="uk", time_zone="Asia/Tbilisi")
    )

    assert response.status_code == 302
    assert response["Location"] == "/uk/accounts/profile/"
    assert response.cookies["django_language"].value == "uk"
    profile = person.profile
    profile.refresh_from_db()
    assert (profile.display_name, profile.institution, profile.position) == (
        "Olena Shevchenko",
        institution,
        "Associate professor",
    )
    assert (profile.preferred_language, profile.time_zone) == ("uk", "Asia/Tbilisi")
    assert client.session[TIME_ZONE_SESSION_KEY] == "Asia/Tbilisi"
    assert client.session[LANGUAGE_SESSION_KEY] == "uk"
    assert "Профіль збережено" in client.get("/uk/accounts/profile/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone we know"),
        ("preferred_language", "xx", "is not a language of this site"),
    ],
)
def test_an_unknown_time_zone_or_language_is_refused_and_changes_nothing(client, person, field, value, message):
    response = client.post(URL, valid_data(**{field: value}))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Your profile was not saved" in html
    person.profile.refresh_from_db()
    assert person.profile.display_name == ""
    assert person.profile.time_zone == "UTC"
    assert TIME_ZONE_SESSION_KEY not in client.session or client.session[TIME_ZONE_SESSION_KEY] == "UTC"


def test_a_listed_and_a_typed_institution_together_are_refused(client, person):
    response = client.post(URL, valid_data(institution=make_institution().pk, institution_name="Another"))

    assert "not both" in response.content.decode()
    person.profile.refresh_from_db()
    assert person.profile.institution is None


def test_the_bio_loses_its_script_and_keeps_its_formatting(client, person):
    client.post(URL, valid_data(bio='<p>Hello <em>all</em></p><script>alert("x")</script><img src=x onerror=alert(1)>'))

    person.profile.refresh_from_db()
    assert person.profile.bio == '<p>Hello <em>all</em></p>alert("x")'
    html = client.get(URL).content.decode()
    assert "<p>Hello <em>all</em></p>" in html
    assert "<script>" not in html
    assert "onerror" not in html


def test_dates_show_in_the_persons_time_zone(client):
    person = make_person(time_zone="Asia/Tbilisi")
    person.date_joined = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    person.save()
    client.force_login(person)

    html = client.get(URL).content.decode()

    assert 'datetime="2026-01-15T16:00:00+04:00"' in html
    assert "4 p.m." in html
