import csv
import io

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from course.models import Enrolment, Offering
from tests.factories import make_course, make_enrolment, make_offering, make_site, make_user

pytestmark = pytest.mark.browser


def signed_in(browser, site, user):
    """A new browser window where ``user`` is signed in (sign-in screens belong to the accounts tests)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": site}
    ])
    return context.new_page()


def test_student_asks_to_enrol_a_professor_approves_and_exports_the_list(browser, page, site):
    course = make_course(make_site(), modules=1, lectures_per_module=1, title="Export controls").course
    offering = make_offering(
        course, cohort="Kyiv spring cohort", enrolment_policy=Offering.Policy.APPROVAL, capacity=20
    )
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    student = make_user(first_name="Maria", last_name="Bondarenko")
    address = f"{site}/en/offerings/{offering.slug}/"

    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kyiv spring cohort")
    expect(page.get_by_role("link", name="Sign in to enrol")).to_be_visible()

    as_student = signed_in(browser, site, student)
    as_student.goto(address)
    as_student.get_by_role("button", name="Ask to enrol").click()
    expect(as_student.get_by_role("status")).to_contain_text("Your request has been sent.")
    expect(as_student.locator(".seats-left")).to_have_text("19")

    as_professor = signed_in(browser, site, professor)
    as_professor.goto(address)
    as_professor.get_by_role("link", name="Participants", exact=True).click()
    as_professor.get_by_role("button", name="Approve Maria Bondarenko").click()
    expect(as_professor.get_by_role("status")).to_contain_text("Maria Bondarenko is now enrolled.")
    expect(as_professor.get_by_text("No request is waiting.")).to_be_visible()

    with as_professor.expect_download() as download:
        as_professor.get_by_role("link", name="Download the participant list (CSV)").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    rows = {row[0]: row for row in csv.reader(io.StringIO(content))}
    assert rows["Maria Bondarenko"][3:5] == ["Student", "Active"]

    as_student.reload()
    expect(as_student.locator(".enrolment-status")).to_contain_text("Student (Active)")
    as_student.get_by_role("button", name="Withdraw from this offering").click()
    expect(as_student.get_by_role("status")).to_contain_text("You have withdrawn from this offering.")
    expect(as_student.get_by_role("button", name="Ask to enrol")).to_be_visible()
    for window in (as_student, as_professor):
        window.context.close()
