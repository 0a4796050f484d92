"""An external attendee joins a seminar series by an invitation link, without an account, and
proposes a presentation; the convenor accepts it and it appears in the participants' session."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from lessons.seminar_models import SeminarRegistration
from tests.browser.test_offerings import signed_in
from tests.factories import make_institution, make_site, make_user
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.browser

EMAIL = "aigerim.sadykova@example.org"
TALK = "Screening orders for sequences of concern"


def link_in(message, fragment):
    return re.search(rf"https?://[^/\s]+(/\S*{fragment}\S*)", message.body).group(1)


def test_an_invited_external_attendee_proposes_and_the_convenor_accepts(browser, page, site, tmp_path):
    institution = make_institution(name="Tengri Steppe Polytechnic University", country="KZ")
    built = make_series(
        make_site(), title="Responsible science in dual-use research", open_registration=False, capacity=30,
        convenor=make_user(first_name="Nino", last_name="Beridze"), institution=institution,
    )
    participants_session = built.sessions[-1]

    # The convenor makes an invitation link to hand out.
    as_convenor = signed_in(browser, site, built.convenor)
    as_convenor.goto(site + built.series.url)
    as_convenor.get_by_role("link", name="Manage this series").click()
    as_convenor.get_by_role("button", name="Make an invitation link").click()
    invitation = as_convenor.get_by_label("Invitation link to share").input_value()
    assert "/en/seminars/invitation/" in invitation

    # Without the link the series takes nobody; with it, no account is needed.
    page.goto(site + built.series.url)
    expect(page.get_by_text("This series takes participants by invitation only.")).to_be_visible()
    page.goto(invitation)
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for the seminar series")
    expect(page.get_by_text("Nino Beridze invites you to this series.")).to_be_visible()
    page.get_by_label("Your name").fill("Aigerim Sadykova")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    page.get_by_label("Institution:", exact=True).select_option(label="Tengri Steppe Polytechnic University")
    page.get_by_label("Country").select_option("KZ")
    page.get_by_label("Career stage").select_option("phd-candidate")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    registration = SeminarRegistration.objects.get(user__email=EMAIL)
    assert (registration.status, registration.route) == ("registered", "invitation")

    # The mail carries the private link to the registration and the way to claim the account.
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "/accounts/password/reset/" in message.body
    page.goto(site + link_in(message, "/seminars/registration/"))
    expect(page.locator(".registration-status")).to_have_text("Registered")
    slides = tmp_path / "screening.pdf"
    slides.write_bytes(b"%PDF-1.4 slides about screening")
    page.get_by_label("Session:", exact=True).select_option(label=participants_session.title)
    page.get_by_label("Title:", exact=True).fill(TALK)
    page.get_by_label("Abstract:", exact=True).fill("How a small lab screens synthetic DNA orders.")
    page.get_by_label("Slides:", exact=True).set_input_files(str(slides))
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("status")).to_contain_text("your proposal is with the convenors")
    expect(page.locator(".my-presentation")).to_contain_text("Proposed, waiting for the convenors")

    page.goto(site + participants_session.url)
    expect(page.get_by_text("No presentation has been accepted yet.")).to_be_visible()

    # The convenor accepts it.
    as_convenor.reload()
    row = as_convenor.locator("tr.proposal", has_text=TALK)
    expect(row).to_contain_text("Aigerim Sadykova")
    row.get_by_role("button", name=f"Accept “{TALK}”").click()
    expect(as_convenor.get_by_role("status")).to_contain_text("Accepted")

    # It is in the programme of the participants' session, for everyone.
    page.goto(site + participants_session.url)
    item = page.locator(".programme-item", has_text=TALK)
    expect(item).to_contain_text("Aigerim Sadykova, Tengri Steppe Polytechnic University")
    with page.expect_download() as download:
        item.get_by_role("link", name=re.compile("Slides")).click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == b"%PDF-1.4 slides about screening"
    assert "accepted" in mail.outbox[-1].subject.lower()
    as_convenor.context.close()
