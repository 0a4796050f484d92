"""A professor schedules a series; a student in another time zone sees it in their own time,
takes the calendar file, and finds the join button only when it is time."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from course.models import Enrolment
from lessons.models import Attendance, LiveSession
from tests.browser.test_offerings import signed_in
from tests.factories import PASSWORD, make_course, make_enrolment, make_offering, make_person, make_session, make_site

pytestmark = pytest.mark.browser


def next_monday():
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def test_a_professor_schedules_five_sessions_and_a_student_elsewhere_joins_in_time(browser, page, site):
    built = make_course(make_site(), modules=1, lectures_per_module=5, title="Export controls")
    offering = make_offering(built.course, cohort="Kyiv spring cohort", time_zone="Europe/Kyiv")
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    student = make_person(email="aigerim@example.org", time_zone="Asia/Almaty")
    make_enrolment(offering, user=student)

    as_professor = signed_in(browser, site, professor)
    as_professor.goto(f"{site}/en/offerings/{offering.slug}/")
    as_professor.get_by_role("link", name="Schedule a series of live sessions").click()
    as_professor.get_by_label("First day").fill(next_monday().isoformat())
    as_professor.get_by_label("Number of sessions").fill("5")
    expect(as_professor.get_by_label("Start time (host's time zone)")).to_have_value("17:00")
    as_professor.get_by_label("Video meeting link").fill(f"{site}/en/")
    as_professor.get_by_label("Lectures from module").select_option(index=1)
    as_professor.get_by_role("button", name="Schedule the series").click()
    expect(as_professor.get_by_role("status")).to_contain_text("5 sessions scheduled.")
    expect(as_professor.locator("#live-sessions li.live-session")).to_have_count(5)
    as_professor.context.close()

    # The student signs in: the site now speaks in Almaty time, with Kyiv's beside it.
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{site}/en/sessions/schedule/")
    rows = page.locator("li.live-session")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("8 p.m.")  # 17:00 in Kyiv is 20:00 in Almaty
    expect(rows.first).to_contain_text("(Asia/Almaty; host's time 5 p.m., Europe/Kyiv)")
    expect(page.get_by_role("button", name="Join now")).to_have_count(0)

    rows.first.get_by_role("link").first.click()
    expect(page.get_by_text("The join button appears here 15 minutes before the start.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    with open(download.value.path(), "rb") as handle:
        (event,) = Calendar.from_ical(handle.read()).walk("VEVENT")
    first = LiveSession.objects.order_by("starts_at").first()
    assert str(event["UID"]) == f"{first.uid}@stc-campus" and event["DTSTART"].params["TZID"] == "Europe/Kyiv"

    # A session about to start shows its button, and joining records the attendance.
    soon = make_session(offering, starts_in=timedelta(minutes=10), title="Briefing before the series",
                        meeting_url=f"{site}/en/")
    page.goto(f"{site}/en/sessions/schedule/")
    expect(page.get_by_role("button", name="Join now")).to_have_count(1)
    page.get_by_role("button", name="Join now").click()
    expect(page).to_have_url(f"{site}/en/")
    assert Attendance.objects.get().session == soon
