import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from assessments.capture_models import CheckIn
from course.models import Enrolment
from tests.assessments.capture_kit import capture_panels
from tests.browser.test_offerings import signed_in
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person, make_site

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _panels():
    with capture_panels():
        yield


def test_a_participant_records_a_plan_and_months_later_answers_the_mailed_check_in(browser, page, site):
    home = make_institution(name="Yerevan State University", country="AM")
    course = make_course(make_site(), modules=1, lectures_per_module=1, title="Export controls").course
    offering = make_offering(course, host=home, cohort="Yerevan autumn cohort")
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    student = make_person(institution=home, time_zone="Asia/Yerevan")
    student.first_name, student.last_name = "Anahit", "Petrosyan"
    student.save()
    make_enrolment(offering, user=student, status=Enrolment.Status.COMPLETED)
    target = (timezone.localdate() + timedelta(days=150)).isoformat()

    as_student = signed_in(browser, site, student)
    as_student.goto(f"{site}/en/learning/")
    as_student.get_by_role("link", name="Record your plan for Export controls · Yerevan autumn cohort").click()
    expect(as_student.get_by_role("heading", level=1)).to_have_text("Capacity Capture plan")

    first = as_student.get_by_role("group", name="KPST 1")
    first.get_by_role("radio", name="Skill").check()
    first.get_by_label("What you acquired").fill("Classifying items against the dual-use list")
    first.get_by_label("How you will put it to work at your home institution").fill(
        "A classification exercise in the chemistry faculty's safety course"
    )
    first.get_by_role("checkbox", name="Human").check()
    first.get_by_role("checkbox", name="Authority or leadership").check()
    first.get_by_label("Target date").fill(target)
    second = as_student.get_by_role("group", name="KPST 2")
    second.get_by_role("radio", name="Tool").check()
    second.get_by_label("How you will put it to work at your home institution").fill("Show it to the export office")
    second.get_by_label("Target date").fill(target)
    as_student.get_by_role("button", name="Submit the plan").click()

    # The description of the second KPST is missing: nothing is saved, nothing typed is lost.
    expect(as_student.get_by_role("alert")).to_contain_text("Your plan was not saved yet.")
    second = as_student.get_by_role("group", name="KPST 2")
    expect(second.get_by_text("This field is required.")).to_be_visible()
    expect(second.get_by_role("radio", name="Tool")).to_be_checked()
    expect(as_student.get_by_role("group", name="KPST 1").get_by_label("What you acquired")).to_have_value(
        "Classifying items against the dual-use list"
    )
    second.get_by_label("What you acquired").fill("The commodity identification app")
    as_student.get_by_role("button", name="Submit the plan").click()
    expect(as_student.get_by_role("status")).to_contain_text("Your plan is submitted.")
    expect(as_student.get_by_role("group", name="KPST 2").get_by_label("What you acquired")).to_have_value(
        "The commodity identification app"
    )

    # Three months later the worker mails the check-in.
    three = CheckIn.objects.get(due=3)
    DBTaskResult.objects.filter(args_kwargs__args=[three.pk]).update(run_after=timezone.now())
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.to for message in mail.outbox] == [[student.email]]
    link = re.search(r"https?://\S+?(/en/capture/check-in/\S+/)", mail.outbox[0].body).group(1)

    page.goto(site + link)  # from the mail, without signing in
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in after 3 months")
    skill = page.get_by_role("group", name="Skill: Classifying items against the dual-use list")
    skill.get_by_role("radio", name="Operational").check()
    tool = page.get_by_role("group", name="Tool: The commodity identification app")
    tool.get_by_role("radio", name="Dropped").check()
    page.get_by_role("button", name="Record my check-in").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    tool = page.get_by_role("group", name="Tool: The commodity identification app")
    expect(tool.get_by_text("Say why you dropped it")).to_be_visible()
    tool.get_by_label("Why you dropped it").fill("The export office already has one")
    page.get_by_role("button", name="Record my check-in").click()
    expect(page.get_by_role("status")).to_contain_text("your check-in is recorded")

    as_professor = signed_in(browser, site, professor)
    as_professor.goto(f"{site}/en/learning/")
    as_professor.get_by_role("link", name="Capacity Capture report: Export controls · Yerevan autumn cohort").click()
    expect(as_professor.locator(".operational-count")).to_have_text("1")
    expect(as_professor.get_by_role("row", name="Tool")).to_contain_text("1")
    expect(as_professor.get_by_role("img", name="KPSTs reached, by kind")).to_be_visible()
    for window in (as_student, as_professor):
        window.context.close()
