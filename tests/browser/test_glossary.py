import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_site, make_term, translate_term

pytestmark = pytest.mark.browser

UKRAINIAN_TERM = "товари подвійного використання"


def build_glossary():
    make_site()
    dual_use = make_term("Dual-use items", definition="<p>Goods with civil and military uses.</p>")
    translate_term(
        dual_use, "uk", term=UKRAINIAN_TERM, definition="<p>Товари цивільного та військового призначення.</p>"
    )
    make_term("Catch-all control", definition="<p>A licence duty for unlisted items.</p>")
    make_term("End-user certificate", definition="<p>A statement by the final recipient.</p>")


def search_glossary(page, words):
    box = page.get_by_role("searchbox", name="Find a term")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))


def shown_terms(page):
    return page.locator(".glossary dt")


def test_reader_searches_the_glossary_and_sees_only_the_matching_term(page, site):
    build_glossary()
    page.goto(f"{site}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Glossary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary")
    expect(shown_terms(page)).to_have_text(["Catch-all control", "Dual-use items", "End-user certificate"])

    search_glossary(page, "catch")

    expect(shown_terms(page)).to_have_text(["Catch-all control"])
    expect(page.get_by_role("status")).to_contain_text("1 term matches")
    expect(page.get_by_text("Dual-use items")).to_have_count(0)

    box = page.get_by_role("searchbox", name="Find a term")
    box.fill("certificate")
    page.get_by_role("search").filter(has=box).get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=certificate"))
    expect(shown_terms(page)).to_have_text(["End-user certificate"])


def test_reader_searches_the_ukrainian_glossary_in_any_letter_case(page, site):
    build_glossary()
    page.goto(f"{site}/en/glossary/")
    page.locator("summary", has_text="Language").click()
    page.get_by_role("link", name="Українська").click()
    page.wait_for_url(re.compile(r"/uk/glossary/"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    # The Ukrainian term replaces its English source; untranslated terms stay in English.
    expect(shown_terms(page)).to_contain_text([UKRAINIAN_TERM])
    expect(page.get_by_text("Dual-use items")).to_have_count(0)

    box = page.locator("#glossary-q")
    box.fill("ТОВАР")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/uk/glossary/\?q="))

    expect(box).to_have_value("ТОВАР")
    expect(shown_terms(page)).to_have_text([UKRAINIAN_TERM])
    expect(page.get_by_text("Товари цивільного та військового призначення.")).to_be_visible()


def test_search_without_a_match_says_so(page, site):
    build_glossary()
    page.goto(f"{site}/en/glossary/")

    search_glossary(page, "centrifuge")

    expect(shown_terms(page)).to_have_count(0)
    expect(page.get_by_text("No term matches")).to_be_visible()
    page.get_by_role("link", name="Show all terms").click()
    expect(shown_terms(page)).to_have_count(3)
