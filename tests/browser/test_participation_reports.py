"""A coordinator goes from the ecosystem map to the participation reports, counts people by
institution month by month over one quarter, reads the table and downloads it as CSV. Visitors and
students see no link to the reports, and are turned away at their address."""

import csv
import io
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from course.models import Enrolment
from tests.browser.test_offerings import signed_in
from tests.cast import make_cast
from tests.factories import make_course, make_enrolment, make_offering, make_person, make_site

pytestmark = pytest.mark.browser

HEADER = [
    "Period", "Period start", "Institution", "Country", "Stakeholder kind",
    "Enrolled students", "Attended seminars", "Accepted invitations", "Total",
]


def enrol(offering, institution, on, status=Enrolment.Status.ACTIVE):
    student = make_person(display_name="A student", institution=institution)
    enrolment = make_enrolment(offering, user=student, status=status)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=datetime(*on, 12, tzinfo=UTC))
    return enrolment


@pytest.fixture
def network(site):
    tree = make_site()
    cast = make_cast(tree)
    course = make_course(tree, modules=1, lectures_per_module=1, title="Export Controls").course
    offering = make_offering(course, host=cast.a, cohort="Extra-mural spring cohort", partners=[cast.b])
    enrol(offering, cast.a, (2026, 2, 10))
    enrol(offering, cast.a, (2026, 2, 24))
    enrol(offering, cast.a, (2026, 2, 25), status=Enrolment.Status.PENDING)  # not taking part yet
    enrol(offering, cast.b, (2026, 3, 5))
    enrol(offering, cast.a, (2026, 4, 20))  # after the quarter asked for
    return cast


def test_a_coordinator_reads_the_report_by_institution_and_month_and_downloads_it(browser, site, network):
    page = signed_in(browser, site, network.coordinator_a)
    page.goto(f"{site}/en/ecosystem/")
    page.get_by_role("link", name="Participation reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participation reports")

    page.get_by_role("group", name="Count by").get_by_label("Institution").check()
    page.get_by_role("group", name="Period").get_by_label("Month").check()
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Apply filters").click()

    table = page.locator("table.participation-report")
    expect(table.locator("caption")).to_have_text("People taking part, by Institution")
    expect(table.locator("thead th")).to_have_text(
        ["Period", "Institution", "Country", "Stakeholder kind", "Enrolled students", "Attended seminars",
         "Accepted invitations", "Total"]
    )
    lines = table.locator("tr.report-line")
    expect(lines).to_have_count(2)
    expect(lines.nth(0).locator("th, td")).to_have_text(
        ["February 2026", "University A", "Ukraine", "University", "2", "0", "0", "2"]
    )
    expect(lines.nth(1).locator("th, td")).to_have_text(
        ["March 2026", "University B", "Moldova", "University", "1", "0", "0", "1"]
    )
    assert "group=institution" in page.url and "granularity=month" in page.url
    expect(page.get_by_role("group", name="Count by").get_by_label("Institution")).to_be_checked()
    # What the table counts is what the database holds: April and the pending request are left out.
    assert Enrolment.objects.filter(role=Enrolment.Role.STUDENT).count() == 5

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report (CSV)").click()
    assert download.value.suggested_filename.startswith("participation-institution-")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["February 2026", "2026-02-01", "University A", "Ukraine", "University", "2", "0", "0", "2"],
        ["March 2026", "2026-03-01", "University B", "Moldova", "University", "1", "0", "0", "1"],
    ]
    page.context.close()


def test_visitors_and_students_get_no_link_and_are_refused_the_reports(browser, page, site, network):
    page.goto(f"{site}/en/ecosystem/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ecosystem map")
    expect(page.get_by_role("link", name="Participation reports")).to_have_count(0)
    page.goto(f"{site}/en/ecosystem/reports/?group=institution")
    expect(page).to_have_url(f"{site}/en/accounts/login/?next=/en/ecosystem/reports/%3Fgroup%3Dinstitution")
    expect(page.get_by_role("table")).to_have_count(0)

    as_student = signed_in(browser, site, network.student)
    as_student.goto(f"{site}/en/ecosystem/")
    expect(as_student.get_by_role("heading", level=1)).to_have_text("Ecosystem map")
    expect(as_student.get_by_role("link", name="Participation reports")).to_have_count(0)
    for address in ("/en/ecosystem/reports/", "/en/ecosystem/reports.csv"):
        response = as_student.goto(site + address)
        assert response.status == 403
        expect(as_student.locator("body")).not_to_contain_text("University A")
    as_student.context.close()
