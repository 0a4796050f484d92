import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_course, make_site, sync_language_trees, translate_page

pytestmark = pytest.mark.browser

ENGLISH_TEXT = "Trade in dual-use items is licensed because the same goods serve peaceful and military ends."


def build_course():
    site = make_site()
    built = make_course(site, modules=1, lectures_per_module=2, title="Export Controls of Dual-Use Goods")
    return site, built.course, built.modules[0], built.lectures[0]


def open_lecture_from_home(page, base_url, course, module, lecture):
    page.goto(f"{base_url}/en/")
    page.get_by_role("link", name=course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    page.get_by_role("link", name=f"Module 1: {module.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
    page.get_by_role("link", name=lecture.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lecture.title)


def switch_language(page, language_name):
    page.locator("summary", has_text="Language").click()
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name=language_name, exact=True).click()
    return navigation.value


def test_reader_follows_links_to_a_lecture_and_switches_it_to_ukrainian(page, site):
    _, course, module, lecture = build_course()
    translate_page(
        lecture,
        "uk",
        title="Чому держави контролюють торгівлю",
        summary="Короткий виклад.",
        body=[
            ("heading", "Навіщо потрібен контроль"),
            ("text", "<p>Торгівля товарами подвійного використання ліцензується.</p>"),
        ],
    )

    open_lecture_from_home(page, site, course, module, lecture)
    expect(page.get_by_role("heading", name="Why controls exist")).to_be_visible()
    expect(page.get_by_text(ENGLISH_TEXT)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    response = switch_language(page, "Українська")

    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/uk/"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Чому держави контролюють торгівлю")
    expect(page.get_by_role("heading", name="Навіщо потрібен контроль")).to_be_visible()
    expect(page.get_by_text("Торгівля товарами подвійного використання ліцензується.")).to_be_visible()
    expect(page.get_by_text(ENGLISH_TEXT)).to_have_count(0)
    expect(page.get_by_test_id("translation-notice")).to_have_count(0)


def assert_english_lecture_with_notice(page, response, lecture):
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/ro/"))
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    notice = page.get_by_test_id("translation-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("English")
    expect(page.get_by_role("heading", level=1)).to_have_text(lecture.title)
    expect(page.get_by_role("heading", name="Why controls exist")).to_be_visible()
    expect(page.get_by_text(ENGLISH_TEXT)).to_be_visible()


def test_untranslated_lecture_in_an_aliased_language_tree_shows_the_english_text_with_a_notice(page, site):
    _, course, module, lecture = build_course()
    sync_language_trees()

    open_lecture_from_home(page, site, course, module, lecture)
    expect(page.get_by_test_id("translation-notice")).to_have_count(0)
    response = switch_language(page, "Română")

    assert_english_lecture_with_notice(page, response, lecture)


def test_lecture_missing_from_the_language_tree_falls_back_to_the_english_source(page, site):
    _, course, module, lecture = build_course()
    # Romanian has its own module page but no copy of the lecture, not even an alias: the lecture's
    # address in Romanian is unknown to Wagtail's routing and the site serves the source instead.
    translate_page(module, "ro", title="Modulul 1", summary="Rezumatul modulului.")

    open_lecture_from_home(page, site, course, module, lecture)
    response = switch_language(page, "Română")

    assert_english_lecture_with_notice(page, response, lecture)
