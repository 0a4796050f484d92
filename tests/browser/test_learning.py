"""A student's whole way through a course, and a professor revoking a certificate."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from course.models import Enrolment
from network.models import Certificate
from tests.browser.test_offerings import signed_in
from tests.factories import (
    make_course,
    make_enrolment,
    make_offering,
    make_site,
    sync_language_trees,
    translate_page,
)

pytestmark = pytest.mark.browser

EMAIL = "maria.learner@example.org"
PASSWORD = "a-browser-password-5521"


def path_of_link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_up_and_verify(page, site):
    page.goto(f"{site}/en/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.goto(site + path_of_link_in(mail.outbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{site}/en/")


def mark_complete(page):
    page.locator("form[action$='/complete/'] button").click()


def test_a_student_signs_up_enrols_reads_finishes_and_gets_a_valid_certificate(page, site):
    built = make_course(make_site(), modules=1, lectures_per_module=2, title="Export controls")
    sync_language_trees("uk")
    translate_page(built.course, "uk", title="Експортний контроль")
    translate_page(built.lectures[0], "uk", title="Чому контролюють торгівлю")
    make_offering(built.course, cohort="Kyiv spring cohort", language="uk")

    sign_up_and_verify(page, site)
    page.get_by_role("link", name="My profile").click()
    page.get_by_label("Display name").fill("Maria Bondarenko")
    page.get_by_label("Preferred language").select_option("uk")
    page.get_by_label("Time zone").select_option("Europe/Kyiv")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    # Enrol from the course page, in Ukrainian.
    page.goto(f"{site}/uk/courses/{built.course.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Експортний контроль")
    page.get_by_role("link", name="Kyiv spring cohort").click()
    page.get_by_role("button", name="Записатися").click()
    expect(page.get_by_role("status")).to_contain_text("Вас записано")

    # The dashboard points to the first lecture, in Ukrainian.
    page.get_by_role("link", name="Моє навчання").click()
    expect(page.locator(".learning-card progress")).to_have_attribute("value", "0")
    page.locator(".learning-card a.button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Чому контролюють торгівлю")

    mark_complete(page)
    expect(page.locator("#module-progress")).to_have_attribute("value", "1")
    expect(page.locator("form[action$='/undo/'] button")).to_be_visible()

    page.locator("a[rel=next]").click()
    mark_complete(page)
    expect(page.locator(".lecture-progress .done")).to_be_visible()
    enrolment = Enrolment.objects.get(user__email=EMAIL)
    assert enrolment.status == Enrolment.Status.COMPLETED

    page.locator(".account-nav").get_by_role("link", name="Моє навчання").click()
    expect(page.locator(".learning-card progress")).to_have_attribute("value", "2")
    with page.expect_download() as download:
        page.locator(".learning-card .certificate a[href$='certificate.pdf']").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    text = "".join(sheet.extract_text() for sheet in PdfReader(download.value.path()).pages)
    assert "Maria Bondarenko" in text and "Експортний контроль" in text

    certificate = Certificate.objects.get(recipient__email=EMAIL)
    page.locator(f".learning-card .certificate a[href$='/{certificate.code}/']").click()
    expect(page.locator(".certificate-status")).to_have_attribute("data-status", "valid")
    expect(page.locator("#certificate-status")).to_have_text("Дійсний")
    expect(page.get_by_text("Maria Bondarenko")).to_be_visible()


def test_a_professor_sees_progress_and_revokes_a_certificate(browser, page, site):
    built = make_course(make_site(), modules=1, lectures_per_module=1, title="Export controls")
    offering = make_offering(built.course, cohort="Tbilisi cohort")
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    student = make_enrolment(offering)
    from lessons.progress import mark_complete as record

    record(student.user, built.lectures[0])
    certificate = Certificate.objects.get()

    as_professor = signed_in(browser, site, professor)
    as_professor.goto(f"{site}/en/offerings/{offering.slug}/participants/")
    row = as_professor.locator("tr.participant", has_text=student.user.get_full_name())
    expect(row.locator("progress")).to_have_attribute("value", "1")
    row.get_by_role("link", name="Revoke").click()
    as_professor.get_by_label(re.compile("Reason")).fill("Awarded by mistake: the attendance record was wrong.")
    as_professor.get_by_role("button", name=re.compile("Revoke")).click()
    expect(as_professor).to_have_url(re.compile(r"/participants/$"))
    expect(as_professor.locator("tr.participant", has_text=student.user.get_full_name())).to_contain_text("Revoked")

    # Anyone checking the certificate sees at once that it no longer holds.
    page.goto(f"{site}/en/certificates/{certificate.code}/")
    expect(page.locator(".certificate-status")).to_have_attribute("data-status", "revoked")
    expect(page.get_by_text("Awarded by mistake")).to_be_visible()
    as_professor.context.close()
