import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_course, make_professor, make_site, translate_page

pytestmark = pytest.mark.browser

TITLE = "Reading a control-list entry"
RUSSIAN_TITLE = "Как читать запись контрольного списка"


def sign_in(page, base_url, user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    page.goto(f"{base_url}/admin/")  # the admin sends a visitor to the site's (rate-limited) sign-in
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Pages")).to_be_visible()


def add_block(body, block_type):
    """Append a block of ``block_type`` to a StreamField and return the new block's panel."""
    body.get_by_role("button", name="Insert a block").last.click()
    body.page.get_by_role("option", name=block_type, exact=True).click()
    return body.get_by_role("region", name=re.compile(f"^{re.escape(block_type)}")).last


def translate_segment(editor, field_label, text):
    """Type a translation for one field in wagtail-localize's editor and save it."""
    segment = editor.get_by_role("listitem").filter(
        has=editor.page.get_by_role("heading", name=field_label, exact=True)
    )
    segment.get_by_role("button", name="Translate").click()
    segment.get_by_role("textbox").fill(text)
    segment.get_by_role("button", name="Save").click()
    expect(segment.get_by_role("button", name="Edit")).to_be_visible()
    expect(segment.get_by_text(text)).to_be_visible()


def test_professor_writes_publishes_and_translates_a_lecture(page, site):
    tree = make_site()
    module = make_course(tree, modules=1, lectures_per_module=1, title="Export Controls").modules[0]
    russian_courses = translate_page(tree.courses, "ru", title="Курсы")
    professor = make_professor(tree.courses, russian_courses)
    assert not professor.is_superuser

    sign_in(page, site, professor)
    page.get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.get_by_role("link", name="STC Campus English").locator("..").get_by_role(
        "link", name="View child pages of 'STC Campus'"
    ).click()
    explorer.get_by_role("link", name="View child pages of 'Courses'").click()
    explorer.get_by_role("link", name="View child pages of 'Export Controls'").click()
    explorer.get_by_role("link", name=module.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(module.title)

    page.get_by_role("link", name="Add child page").click()
    # A module takes lectures and quizzes: the professor picks the lecture.
    page.get_by_role("link", name="Lecture", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/lessons/lecturepage/\d+/$"))
    page.get_by_role("textbox", name=re.compile(r"^Title")).fill(TITLE)
    body = page.get_by_role("region", name=re.compile(r"^Body"))
    add_block(body, "Heading").get_by_role("textbox").fill("How an entry is built")
    add_block(body, "Text").get_by_role("textbox").click()
    page.keyboard.type("Every entry starts with a category digit and a product-group letter.")
    prompt = add_block(body, "Discussion prompt")
    prompt.get_by_role("textbox", name=re.compile(r"^Question")).fill("Which entries matter to your laboratory?")
    entry = add_block(body, "Control-list entry")
    entry.get_by_role("combobox", name=re.compile(r"^List")).select_option(label="Australia Group")
    entry.get_by_role("textbox", name=re.compile(r"^Entry code")).fill("1C351")
    entry.get_by_role("textbox", name=re.compile(r"^Entry title")).fill("Human and animal pathogens")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text(f"Page '{TITLE}' created and published.")

    page.get_by_role("link", name="View live").click()
    expect(page).to_have_url(re.compile(r"/en/courses/.+/reading-a-control-list-entry/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    lecture = page.get_by_role("article")
    expect(lecture.get_by_role("heading", name="How an entry is built")).to_be_visible()
    expect(lecture.get_by_text("Every entry starts with a category digit and a product-group letter.")).to_be_visible()
    expect(lecture.get_by_text("Which entries matter to your laboratory?")).to_be_visible()
    expect(lecture.get_by_role("heading", name="1C351 Human and animal pathogens")).to_be_visible()
    expect(lecture.get_by_text("Australia Group")).to_be_visible()

    page.go_back()
    page.get_by_role("button", name=f"More options for '{TITLE}'").click()
    page.get_by_role("link", name="Translate this page").click()
    page.get_by_role("checkbox", name="Русский").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text("submitted for translation into Русский")

    editor = page.get_by_role("tabpanel", name="Content")
    translate_segment(editor, "Title", RUSSIAN_TITLE)
    translate_segment(editor, "Heading", "Как устроена запись")
    page.get_by_role("button", name="Publish in Русский").click()
    expect(page.get_by_role("status")).to_contain_text(f"Published '{RUSSIAN_TITLE}' in Русский")

    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Visible to all. Visit the live page").first.click()
    russian = new_tab.value
    expect(russian).to_have_url(re.compile(r"/ru/courses/.+/reading-a-control-list-entry/$"))
    expect(russian.locator("html")).to_have_attribute("lang", "ru")
    expect(russian.get_by_role("heading", level=1)).to_have_text(RUSSIAN_TITLE)
    lecture = russian.get_by_role("article")
    expect(lecture.get_by_role("heading", name="Как устроена запись")).to_be_visible()
    # What nobody has translated yet keeps the source text.
    expect(lecture.get_by_text("Which entries matter to your laboratory?")).to_be_visible()
    expect(lecture.get_by_role("heading", name="1C351 Human and animal pathogens")).to_be_visible()
    expect(russian.get_by_test_id("translation-notice")).to_have_count(0)
