"""A professor invites one official by email from the offering's invitations page, sees the
invitation pending and the mail sent, then revokes it; the link in the mail then opens a page that
says the invitation was withdrawn, and enrols nobody."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from course.models import Enrolment, Offering
from network.models import Invitation, InvitationAcceptance
from tests.browser.test_invitations import accept_path
from tests.browser.test_offerings import signed_in
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person, make_site

pytestmark = pytest.mark.browser

EMAIL = "nino.kapanadze@example.org"


def test_a_professor_invites_one_person_then_revokes_and_the_link_says_so(browser, page, site):
    make_institution(name="Ministry of Economy of Georgia", short_name="ministry-ge", country="GE", kind="ministry")
    course = make_course(make_site(), modules=1, lectures_per_module=1, title="Export controls").course
    offering = make_offering(course, cohort="Tbilisi officials' cohort", enrolment_policy=Offering.Policy.INVITATION)
    professor = make_person(display_name="Olena Shevchenko")
    make_enrolment(offering, user=professor, role=Enrolment.Role.PROFESSOR)

    as_professor = signed_in(browser, site, professor)
    as_professor.goto(f"{site}/en/offerings/{offering.slug}/")
    as_professor.get_by_role("link", name="Invite people").click()
    expect(as_professor.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(as_professor.get_by_text("Nobody has been invited yet.")).to_be_visible()
    form = as_professor.locator("form.invite-one")
    form.get_by_label("Name:", exact=True).fill("Nino Kapanadze")
    form.get_by_label("Email:", exact=True).fill(EMAIL)
    form.get_by_label("Institution:", exact=True).select_option(label="Ministry of Economy of Georgia")
    form.get_by_label("Invited as:").select_option(label="Observer")
    form.get_by_role("button", name="Send the invitation").click()

    expect(as_professor.get_by_role("status").first).to_contain_text(f"The invitation is on its way to {EMAIL}.")
    row = as_professor.locator("tr.invitation", has_text=EMAIL)
    expect(row).to_have_count(1)
    expect(row.locator(".invitation-status")).to_have_text("Pending")
    expect(row).to_contain_text("Nino Kapanadze")
    expect(row).to_contain_text("Ministry of Economy of Georgia")
    expect(row).to_contain_text("Observer")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (EMAIL, "observer", professor)
    assert invitation.institution.short_name == "ministry-ge" and invitation.mailed_at is not None
    message, = [message for message in mail.outbox if message.to == [EMAIL]]
    assert "Tbilisi officials' cohort" in message.subject
    assert "Olena Shevchenko invites you" in message.body

    row.get_by_role("button", name=f"Revoke the invitation to {EMAIL}").click()
    expect(as_professor.get_by_role("status").first).to_contain_text(
        f"The invitation to {EMAIL} is revoked: its link no longer works."
    )
    expect(row.locator(".invitation-status")).to_have_text("Revoked")
    expect(row.get_by_role("button", name=f"Revoke the invitation to {EMAIL}")).to_have_count(0)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == professor

    # Nino opens the link from the mail: a clear page, no way to accept, and nothing changes.
    response = page.goto(site + accept_path(message))
    assert response.status < 500
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation was withdrawn")
    expect(page.get_by_role("alert")).to_have_text(
        "This invitation has been withdrawn by the person who sent it. Ask them if you think this is a mistake."
    )
    expect(page.get_by_text("It was sent by Olena Shevchenko.")).to_be_visible()
    expect(page.get_by_role("button", name="Accept the invitation")).to_have_count(0)
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not InvitationAcceptance.objects.exists()
    assert list(offering.enrolments.values_list("role", flat=True)) == ["professor"]
    invitation.refresh_from_db()
    assert invitation.use_count == 0
    as_professor.context.close()
