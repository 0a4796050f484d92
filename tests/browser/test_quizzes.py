"""A student takes a timed quiz, reloads mid-attempt and finds every answer, submits and sees the
review the settings allow; a professor grades an essay and downloads the gradebook."""

import csv
import io

import pytest
from playwright.sync_api import expect

from assessments.quiz_models import Attempt, Response
from course.models import Enrolment
from tests.browser.test_offerings import signed_in
from tests.factories import make_course, make_enrolment, make_offering, make_question, make_quiz, make_site, make_user

pytestmark = pytest.mark.browser


def test_a_student_takes_a_timed_quiz_reloads_and_submits(browser, site):
    built = make_course(make_site(), modules=1, lectures_per_module=1)
    questions = [make_question(kind) for kind in ("multiple-choice", "true-false", "numeric", "classification",
                                                   "matching", "essay")]
    quiz = make_quiz(built.modules[0], questions, title="Regimes quiz", time_limit_minutes=20, review="after-submit")
    offering = make_offering(built.course)
    student = make_enrolment(offering, user=make_user(first_name="Aigerim", last_name="Sadykova")).user
    page = signed_in(browser, site, student)

    page.goto(site + quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("fieldset.question")).to_have_count(6)
    expect(page.get_by_role("timer")).to_contain_text("19:")

    page.get_by_role("radio", name="Australia Group").check()
    page.get_by_label("True", exact=True).check()
    page.get_by_label("Your answer (kg)").fill("42,3")
    page.get_by_label("Entry code (for example 1C351)").fill("1c351")
    matching = page.locator("fieldset[data-kind=matching]")
    for item, match in (("Australia Group", "chemical and biological"), ("NSG", "nuclear"), ("MTCR", "missiles")):
        matching.get_by_label(item).select_option(label=match)
    essay = page.get_by_label("Your answer (at most 200 words)")
    essay.fill("Export controls keep sensitive goods from proliferators.")
    essay.blur()
    # Every answer was saved as it was given: the saving script's marks say so.
    expect(page.locator(".save-state", has_text="✓")).to_have_count(6)

    page.reload()
    expect(page.get_by_role("radio", name="Australia Group")).to_be_checked()
    expect(page.get_by_label("True", exact=True)).to_be_checked()
    expect(page.get_by_label("Your answer (kg)")).to_have_value("42,3")
    expect(page.get_by_label("Entry code (for example 1C351)")).to_have_value("1c351")  # kept as typed
    expect(matching.get_by_label("NSG")).to_have_value(str(questions[4].pairs.get(item="NSG").pk))
    expect(page.get_by_label("Your answer (at most 200 words)")).to_have_value(
        "Export controls keep sensitive goods from proliferators."
    )

    page.get_by_role("button", name="Submit the attempt").click()
    expect(page.get_by_role("status")).to_contain_text("Your attempt has been submitted.")
    expect(page.locator(".attempt-status")).to_have_attribute("data-status", "needs-grading")
    expect(page.get_by_test_id("correct")).to_have_count(5)
    expect(page.get_by_test_id("explanation").first).to_contain_text("Because the regime lists it.")
    attempt = Attempt.objects.get()
    assert attempt.score == 5

    # The professor grades the essay and takes the gradebook.
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    as_professor = signed_in(browser, site, professor)
    as_professor.goto(f"{site}/en/quizzes/offering/{offering.slug}/gradebook/")
    as_professor.get_by_role("link", name="1 answer to grade").click()
    expect(as_professor.locator("blockquote.answer-text")).to_contain_text("keep sensitive goods")
    as_professor.get_by_label("Score (0 to 1)").fill("1")
    as_professor.get_by_label("Feedback to the student").fill("Clear and correct.")
    as_professor.get_by_role("button", name="Save the grade").click()
    expect(as_professor.get_by_role("status")).to_contain_text("The answer is graded.")
    as_professor.goto(f"{site}/en/quizzes/offering/{offering.slug}/gradebook/")
    with as_professor.expect_download() as download:
        as_professor.get_by_role("link", name="Download the gradebook (CSV)").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][-1] == "Regimes quiz" and rows[1][:1] == ["Aigerim Sadykova"] and rows[1][-1] == "100.0"
    assert Response.objects.get(question=questions[5]).feedback == "Clear and correct."
    for window in (page, as_professor):
        window.context.close()
