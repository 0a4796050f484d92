"""A professor of an invitation-only offering invites external attendees from a CSV file; one of
them opens the link in the mail, accepts without signing up, and lands in the offering enrolled,
with the join button of the live session about to start."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from course.models import Enrolment, Offering
from network.models import Invitation
from tests.browser.test_offerings import signed_in
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_session, make_site

pytestmark = pytest.mark.browser

ATTENDEES = (
    "name;email;institution;role\n"
    "Giorgi Beridze;giorgi.beridze@example.org;ministry-ge;observer\n"
    "Ana Popescu;ana.popescu@example.org;Technical University of Moldova;student\n"
)


def accept_path(message):
    return re.search(r"https?://[^/\s]+(/\S*/invitations/accept/\S+/)", message.body).group(1)


def test_a_professor_invites_external_attendees_by_file_and_one_accepts(browser, page, site, tmp_path):
    make_institution(name="Ministry of Economy and Sustainable Development", short_name="ministry-ge", country="GE",
                     kind="ministry")
    course = make_course(make_site(), modules=1, lectures_per_module=1, title="Export controls").course
    offering = make_offering(
        course, cohort="Tbilisi officials' cohort", enrolment_policy=Offering.Policy.INVITATION, capacity=20
    )
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    make_session(offering, starts_in=timedelta(minutes=5), title="Licensing dual-use exports")
    address = f"{site}/en/offerings/{offering.slug}/"

    # The professor uploads the file; a bad file would have invited nobody.
    as_professor = signed_in(browser, site, professor)
    as_professor.goto(address)
    as_professor.get_by_role("link", name="Invite people").click()
    expect(as_professor.get_by_role("heading", level=1)).to_have_text("Invitations")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,role\nSomeone,not-an-address,observer\n", encoding="utf-8")
    as_professor.get_by_label("CSV file:", exact=True).set_input_files(str(bad))
    as_professor.get_by_role("button", name="Upload and invite").click()
    expect(as_professor.locator(".file-error")).to_have_text("Line 2: “not-an-address” is not an email address.")
    assert not Invitation.objects.exists()

    attendees = tmp_path / "attendees.csv"
    attendees.write_text(ATTENDEES, encoding="utf-8-sig")
    as_professor.get_by_label("CSV file:", exact=True).set_input_files(str(attendees))
    as_professor.get_by_role("button", name="Upload and invite").click()
    expect(as_professor.get_by_role("status")).to_contain_text("2 invitations were made")
    expect(as_professor.locator("tr.invitation")).to_have_count(2)
    expect(as_professor.locator("tr.invitation", has_text="giorgi.beridze@example.org")).to_contain_text("Pending")

    # The background worker mails them.
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)
    message = next(message for message in mail.outbox if message.to == ["giorgi.beridze@example.org"])
    assert "Tbilisi officials' cohort" in message.subject

    # Giorgi opens the link (nothing happens yet), accepts, and is in.
    page.goto(site + accept_path(message))
    expect(page.get_by_role("heading", level=1)).to_have_text("Export controls · Tbilisi officials' cohort")
    expect(page.get_by_text("Observer", exact=True)).to_be_visible()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page).to_have_url(address)
    expect(page.get_by_role("status")).to_contain_text("Welcome! You are enrolled in")
    expect(page.locator(".enrolment-status")).to_contain_text("Observer (Active)")
    expect(page.get_by_role("button", name="Join now")).to_be_visible()
    giorgi = get_user_model().objects.get(email="giorgi.beridze@example.org")
    assert giorgi.profile.institution.short_name == "ministry-ge" and not giorgi.has_usable_password()

    # The professor sees who accepted; the link does not work twice for anyone else.
    as_professor.reload()
    expect(as_professor.locator("tr.invitation", has_text="giorgi.beridze@example.org")).to_contain_text("Accepted")
    page.context.clear_cookies()
    page.goto(site + accept_path(message))
    expect(page.get_by_text("You have already accepted this invitation.")).to_be_visible()
    as_professor.context.close()
