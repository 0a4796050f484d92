"""A professor writes a question of each kind in the admin; each is stored as its own kind with
its answers."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Question
from tests.browser.test_authoring import sign_in
from tests.factories import make_professor, make_site

pytestmark = pytest.mark.browser


def new_question(page, site, model, title, prompt, points="2"):
    page.goto(f"{site}/admin/snippets/assessments/{model}/add/")
    page.wait_for_load_state("networkidle")  # the admin's scripts have set up every field
    page.get_by_role("textbox", name=re.compile(r"^Title")).fill(title)
    # Draftail's editable area sits inside the field's wrapper; wait until it holds the text, so a
    # slow start of the editor cannot swallow the typing.
    editor = page.locator("#panel-child-prompt-wrapper [contenteditable=true]")
    editor.click()
    editor.press_sequentially(prompt)
    # Draftail writes its content into the form's hidden field a moment later: wait for it.
    expect(page.locator('input[name="prompt"]')).to_have_value(re.compile(re.escape(prompt)))
    page.get_by_role("spinbutton", name=re.compile(r"^Points")).fill(points)


def save(page, title):
    page.get_by_role("button", name="Save").first.click()
    errors = page.locator(".error-message")
    page.wait_for_load_state("networkidle")
    assert errors.count() == 0, errors.evaluate_all(
        "els => els.map(e => (e.closest('[data-field-wrapper]') || {}).id + ': ' + e.textContent.trim())"
    )
    expect(page.get_by_role("status")).to_contain_text(title)


def test_a_professor_writes_one_question_of_each_kind(page, site):
    professor = make_professor(make_site().courses)
    sign_in(page, site, professor)

    new_question(page, site, "multiplechoicequestion", "Which regime lists pathogens?", "Which regime lists them?")
    texts = page.get_by_role("textbox", name=re.compile(r"^Text"))
    correct = page.get_by_role("checkbox", name="Correct")
    texts.nth(0).fill("Australia Group")
    correct.nth(0).check()
    texts.nth(1).fill("Missile Technology Control Regime")
    save(page, "Which regime lists pathogens?")

    new_question(page, site, "truefalsequestion", "Catch-all applies to unlisted items",
                 "Catch-all controls can apply to unlisted items.")
    page.get_by_role("checkbox", name=re.compile("The statement is true")).check()
    save(page, "Catch-all applies to unlisted items")

    new_question(page, site, "numericquestion", "MTCR Category I payload",
                 "From what payload does MTCR Category I apply?")
    page.get_by_role("spinbutton", name=re.compile(r"^Answer")).fill("500")
    page.get_by_role("spinbutton", name=re.compile(r"^Tolerance")).fill("0")
    page.get_by_role("textbox", name=re.compile(r"^Unit")).fill("kg")
    save(page, "MTCR Category I payload")

    new_question(page, site, "matchingquestion", "Regimes and their lists", "Match each regime with what it controls.")
    items = page.get_by_role("textbox", name=re.compile(r"^Item"))
    matches = page.get_by_role("textbox", name=re.compile(r"^Its match"))
    for n, (item, match) in enumerate((("NSG", "nuclear"), ("Australia Group", "chemical and biological"))):
        items.nth(n).fill(item)
        matches.nth(n).fill(match)
    save(page, "Regimes and their lists")

    new_question(page, site, "classificationquestion", "Classify a toxin", "Ricin, purified: which entry?")
    codes = page.get_by_role("textbox", name=re.compile(r"^Accepted entry codes"))
    codes.fill("1C999x")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text(re.compile("not entry codes of a control list"))).to_be_visible()
    codes.fill("1C351")
    save(page, "Classify a toxin")

    new_question(page, site, "essayquestion", "An ICP for a university",
                 "Outline an internal compliance programme.", points="5")
    page.get_by_role("spinbutton", name=re.compile(r"^Word limit")).fill("300")
    save(page, "An ICP for a university")

    stored = {question.title: question for question in Question.objects.all()}
    assert {type(q).__name__ for q in stored.values()} == {
        "MultipleChoiceQuestion", "TrueFalseQuestion", "NumericQuestion", "MatchingQuestion",
        "ClassificationQuestion", "EssayQuestion",
    }
    assert [(c.text, c.correct) for c in stored["Which regime lists pathogens?"].choices.all()] == [
        ("Australia Group", True), ("Missile Technology Control Regime", False),
    ]
    assert stored["MTCR Category I payload"].answer == Decimal(500)
    assert stored["Classify a toxin"].codes == ["1C351"]
    assert stored["An ICP for a university"].points == Decimal(5)
    assert stored["Regimes and their lists"].pairs.count() == 2
