"""Sign-up, verification, sign-in, password reset and rate limits through django-allauth."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from network.accounts import LANGUAGE_SESSION_KEY, TIME_ZONE_SESSION_KEY
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-test-password-9931"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/en/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def test_sign_up_sends_a_verification_email_and_sign_in_waits_for_it(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "student@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["student@example.org"]
    assert "/en/accounts/confirm-email/" in mail.outbox[0].body
    assert not signed_in(client)
    user = get_user_model().objects.get(email="student@example.org")
    assert user.profile.time_zone == "UTC"

    response = sign_in(client, "student@example.org", NEW_PASSWORD)
    assert not signed_in(client)
    assert response["Location"] == "/en/accounts/confirm-email/"


def test_the_verification_link_confirms_the_address_and_sign_in_works_after(client):
    client.post(
        "/en/accounts/signup/",
        {"email": "student@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert b"student@example.org" in page.content
    assert b'class="site-header"' in page.content
    client.post(link)

    sign_in(client, "student@example.org", NEW_PASSWORD)
    assert signed_in(client)


def test_every_account_screen_is_in_the_site_layout_with_labelled_controls(client):
    for url in ("/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"):
        html = client.get(url).content.decode()
        assert 'class="site-header"' in html, url
        for control_id in re.findall(r'<input[^>]*type="(?:email|password|text)"[^>]*id="([^"]+)"', html):
            assert f'for="{control_id}"' in html, (url, control_id)


def test_account_screens_speak_the_language_of_their_address(client):
    html = client.get("/uk/accounts/login/").content.decode()
    assert '<html lang="uk">' in html
    assert "Увійти" in html


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    person = make_person(email="reader@example.org")

    response = client.post("/en/accounts/password/reset/", {"email": "reader@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])

    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_the_reset_form_says_the_same_for_a_known_and_an_unknown_email(client):
    make_person(email="known@example.org")

    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"}, follow=True)
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().replace("known@", "") == unknown.content.decode().replace("nobody@", "")
    assert [message.to for message in mail.outbox] == [["known@example.org"], ["nobody@example.org"]]


def test_sign_up_with_a_taken_email_looks_like_any_other_sign_up(client):
    make_person(email="taken@example.org")

    response = client.post(
        "/en/accounts/signup/",
        {"email": "taken@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1


def test_sign_in_is_refused_after_repeated_failures_even_with_the_right_password(client):
    make_person(email="target@example.org")

    for _ in range(5):
        response = sign_in(client, "target@example.org", "wrong-password")
        assert response.status_code == 200
        assert not signed_in(client)

    response = sign_in(client, "target@example.org", PASSWORD)
    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client):
    make_person(email="known@example.org")

    wrong_password = sign_in(client, "known@example.org", "wrong-password").context["form"].errors
    unknown_email = sign_in(client, "nobody@example.org", "wrong-password").context["form"].errors

    assert wrong_password == unknown_email


def test_sign_in_switches_the_site_to_the_preferred_language(client):
    make_person(email="olena@example.org", preferred_language="uk", time_zone="Europe/Kyiv")

    response = sign_in(client, "olena@example.org", next_url="/en/search/")

    assert signed_in(client)
    assert response["Location"] == "/uk/search/"
    assert response.cookies["django_language"].value == "uk"
    assert client.session[LANGUAGE_SESSION_KEY] == "uk"
    assert client.session[TIME_ZONE_SESSION_KEY] == "Europe/Kyiv"


def test_sign_in_without_a_next_page_lands_on_the_home_page_in_the_preferred_language(client):
    make_person(email="ion@example.org", preferred_language="ro")

    response = sign_in(client, "ion@example.org")

    assert response["Location"] == "/ro/"


def test_a_user_without_a_profile_gets_one_at_sign_in(client):
    person = make_person(email="old@example.org")
    person.profile.delete()

    sign_in(client, "old@example.org")

    assert signed_in(client)
    assert client.session[TIME_ZONE_SESSION_KEY] == "UTC"


def test_sign_out_is_a_post_and_returns_to_the_home_page_in_the_same_language(client):
    person = make_person()
    client.force_login(person)

    assert client.get("/ro/accounts/logout/").status_code == 200
    assert signed_in(client)
    response = client.post("/ro/accounts/logout/")

    assert response["Location"] == "/ro/"
    assert not signed_in(client)


def test_password_change_needs_the_old_password(client):
    person = make_person()
    client.force_login(person)

    refused = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    person.refresh_from_db()
    assert refused.status_code == 200
    assert person.check_password(PASSWORD)

    client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_private_page_sends_anonymous_readers_to_the_site_sign_in(client, site_tree):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=site_tree.glossary, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/en/glossary/")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/glossary/"
    client.force_login(make_person())
    assert client.get("/en/glossary/").status_code == 200


def test_the_admin_signs_in_through_the_rate_limited_site_form(client):
    from django.contrib.auth.models import Permission

    staff = make_person(email="editor@example.org")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))

    # Wagtail's own form is gone: a GET and a password POST both land on the site's sign-in.
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fadmin%2Fpages%2F"
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302 and not signed_in(client)
    assert client.get("/admin/login/?next=https://evil.example/")["Location"].endswith("?next=%2Fadmin%2F")
    # An anonymous visit to the admin goes there too.
    assert client.get("/admin/")["Location"].startswith("/en/accounts/login/?next=/admin/")

    # Guessing is stopped there, for admin accounts as for everyone.
    for _ in range(5):
        sign_in(client, "editor@example.org", "wrong-password", next_url="/admin/")
    refused = sign_in(client, "editor@example.org", next_url="/admin/")
    assert "Too many failed login attempts" in refused.content.decode()
    assert not signed_in(client)


def test_an_admin_sign_in_on_the_site_form_returns_to_the_admin(client):
    from django.contrib.auth.models import Permission

    staff = make_person(email="editor@example.org")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = sign_in(client, "editor@example.org", next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
