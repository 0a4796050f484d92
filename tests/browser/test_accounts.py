import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import make_site

pytestmark = pytest.mark.browser

EMAIL = "maria.student@example.org"
PASSWORD = "a-browser-password-7720"


def path_of_link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_in(page):
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_person_signs_up_verifies_signs_in_and_gets_the_site_in_ukrainian(page, site):
    make_site()
    page.goto(f"{site}/en/")

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(page.locator(".site-header")).to_be_visible()

    assert [message.to for message in mail.outbox] == [[EMAIL]]
    page.goto(site + path_of_link_in(mail.outbox[0]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("You have confirmed")

    sign_in(page)
    expect(page).to_have_url(f"{site}/en/")
    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    page.get_by_label("Display name").fill("Maria Bondarenko")
    page.get_by_label("Preferred language").select_option("uk")
    page.get_by_label("Time zone").select_option("Europe/Kyiv")
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(f"{site}/uk/accounts/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мій профіль")
    expect(page.get_by_test_id("time-zone")).to_have_text("Europe/Kyiv")
    page.locator(".brand").click()
    expect(page).to_have_url(f"{site}/uk/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    page.get_by_role("button", name="Вийти").click()
    expect(page.get_by_role("link", name="Увійти")).to_be_visible()
    page.goto(f"{site}/en/")
    page.get_by_role("link", name="Sign in").click()
    sign_in(page)
    expect(page).to_have_url(f"{site}/uk/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("link", name="Мій профіль")).to_be_visible()
