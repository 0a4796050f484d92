"""Issuing and revoking certificates, who may manage and download them, and their PDF."""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError
from django.utils import translation
from pypdf import PdfReader

from course.models import Enrolment
from network import certificates
from network.certificate_pdf import render_certificate
from network.certificates import RevocationRefused
from network.models import Certificate
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person, make_user

pytestmark = pytest.mark.django_db

COURSE_TITLE = "Export controls of dual-use technologies"


def make_completion(site, display_name="Тарас Шевченко", **issue_fields):
    """A student who completed an offering, the offering's professor and teaching assistant, and
    the certificate the completion earned."""
    course = make_course(site, modules=1, lectures_per_module=1, title=COURSE_TITLE).course
    host = make_institution(name="Київський національний університет")
    offering = make_offering(course, host=host)
    student = make_person(display_name=display_name)
    enrolment = make_enrolment(offering, user=student, status=Enrolment.Status.COMPLETED)
    professor = make_user()
    make_enrolment(offering, user=professor, role=Enrolment.Role.PROFESSOR)
    assistant = make_user()
    make_enrolment(offering, user=assistant, role=Enrolment.Role.TEACHING_ASSISTANT)
    certificate = certificates.issue(
        **{"recipient": student, "title": COURSE_TITLE, "issuer": host, "source": enrolment, **issue_fields}
    )
    return SimpleNamespace(
        offering=offering,
        host=host,
        student=student,
        enrolment=enrolment,
        professor=professor,
        assistant=assistant,
        certificate=certificate,
    )


@pytest.fixture
def completion(site_tree):
    return make_completion(site_tree)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_issue_records_what_was_achieved_by_whom_and_from_which_source(completion):
    certificate = Certificate.objects.get()

    assert certificate == completion.certificate
    assert certificate.recipient == completion.student
    assert certificate.recipient_name == "Тарас Шевченко"
    assert certificate.title == COURSE_TITLE
    assert certificate.kind == Certificate.Kind.COURSE_COMPLETION
    assert certificate.issuer == completion.host
    assert certificate.issued_on == date.today()
    assert certificate.source == completion.enrolment
    assert certificate.is_valid
    assert certificate.get_absolute_url() == f"/en/certificates/{certificate.code}/"


def test_issue_is_idempotent_per_source(completion):
    again = certificates.issue(
        recipient=completion.student, title="Another title", issuer=make_institution(), source=completion.enrolment
    )

    assert again.pk == completion.certificate.pk
    assert again.title == COURSE_TITLE
    assert Certificate.objects.count() == 1


def test_issue_returns_the_certificate_a_concurrent_call_just_made(completion, monkeypatch):
    # The other request inserted its certificate after our look-up found none.
    real_lookup = certificates.certificate_for
    lookups = iter([lambda source: None, real_lookup])
    monkeypatch.setattr(certificates, "certificate_for", lambda source: next(lookups)(source))

    again = certificates.issue(
        recipient=completion.student, title=COURSE_TITLE, issuer=completion.host, source=completion.enrolment
    )

    assert again.pk == completion.certificate.pk
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_for_one_source(completion):
    duplicate = Certificate(
        recipient=completion.student,
        recipient_name="x",
        title="x",
        issuer=completion.host,
        issued_on=date.today(),
        source_type=completion.certificate.source_type,
        source_id=completion.enrolment.pk,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_the_recipient_name_is_a_snapshot_taken_at_issue(completion):
    profile = completion.student.profile
    profile.display_name = "Someone Else"
    profile.save()

    completion.certificate.refresh_from_db()
    assert completion.certificate.recipient_name == "Тарас Шевченко"


def test_the_name_falls_back_to_the_full_name_then_the_username(site_tree):
    offering = make_offering(make_course(site_tree, modules=1, lectures_per_module=1).course)

    def issued_to(user):
        enrolment = make_enrolment(offering, user=user, status=Enrolment.Status.COMPLETED)
        return certificates.issue(recipient=user, title="t", issuer=offering.host, source=enrolment)

    assert issued_to(make_user(first_name="Nino", last_name="Beridze")).recipient_name == "Nino Beridze"
    assert issued_to(make_user(first_name="", last_name="", username="nino")).recipient_name == "nino"


def test_the_offerings_professor_may_revoke(completion):
    certificate = certificates.revoke(completion.certificate, by=completion.professor, reason="Plagiarised essay.")

    stored = Certificate.objects.get()
    assert certificate.revoked_at is not None and not certificate.is_valid
    assert (stored.revoked_at, stored.revoked_by, stored.revocation_reason) == (
        certificate.revoked_at,
        completion.professor,
        "Plagiarised essay.",
    )


@pytest.mark.parametrize("manager", ["assistant", "superuser"])
def test_teaching_assistants_and_superusers_may_revoke(completion, manager):
    by = completion.assistant if manager == "assistant" else make_user(is_superuser=True)

    certificates.revoke(completion.certificate, by=by, reason="Issued by mistake.")

    assert not Certificate.objects.get().is_valid


def make_other_offerings_professor(completion, site):
    other = make_offering(make_course(site, modules=1, lectures_per_module=1).course)
    professor = make_user()
    make_enrolment(other, user=professor, role=Enrolment.Role.PROFESSOR)
    return professor


@pytest.mark.parametrize("who", ["fellow student", "recipient", "other offering's professor", "anonymous"])
def test_others_may_not_revoke_and_nothing_changes(completion, site_tree, who):
    by = {
        "fellow student": lambda: make_enrolment(completion.offering).user,
        "recipient": lambda: completion.student,
        "other offering's professor": lambda: make_other_offerings_professor(completion, site_tree),
        "anonymous": AnonymousUser,
    }[who]()

    with pytest.raises(PermissionDenied):
        certificates.revoke(completion.certificate, by=by, reason="Because.")

    stored = Certificate.objects.get()
    assert stored.is_valid and stored.revoked_by is None and stored.revocation_reason == ""


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_blank_reason_is_refused_and_nothing_changes(completion, reason):
    with pytest.raises(RevocationRefused) as refusal:
        certificates.revoke(completion.certificate, by=completion.professor, reason=reason)

    assert refusal.value.code == "reason_required"
    assert "Give the reason" in refusal.value.messages[0]
    assert Certificate.objects.get().is_valid
    assert completion.certificate.is_valid


def test_revoking_twice_is_refused_and_keeps_the_first_revocation(completion):
    certificates.revoke(completion.certificate, by=completion.professor, reason="First reason.")
    first = Certificate.objects.get()

    with pytest.raises(RevocationRefused) as refusal:
        certificates.revoke(Certificate.objects.get(), by=completion.assistant, reason="Second reason.")

    assert refusal.value.code == "already_revoked"
    assert "already revoked" in refusal.value.messages[0]
    stored = Certificate.objects.get()
    assert (stored.revoked_at, stored.revoked_by, stored.revocation_reason) == (
        first.revoked_at,
        completion.professor,
        "First reason.",
    )


def test_the_refusal_is_in_the_persons_language(completion):
    with pytest.raises(RevocationRefused) as refusal:
        certificates.revoke(completion.certificate, by=completion.professor, reason="")

    with translation.override("uk"):
        assert refusal.value.messages[0] == "Вкажіть причину відкликання цього сертифіката."


def test_who_may_download(completion, site_tree):
    allowed = [completion.student, completion.professor, completion.assistant, make_user(is_superuser=True)]
    refused = [
        AnonymousUser(),
        make_user(),
        make_enrolment(completion.offering).user,
        make_other_offerings_professor(completion, site_tree),
    ]

    assert [certificates.may_download(user, completion.certificate) for user in allowed] == [True] * 4
    assert [certificates.may_download(user, completion.certificate) for user in refused] == [False] * 4


def test_the_pdf_carries_the_name_title_issuer_url_and_code(completion):
    certificate = completion.certificate
    url = f"https://campus.example/en/certificates/{certificate.code}/"

    content = render_certificate(certificate, url)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in ("Certificate of completion", "Тарас Шевченко", COURSE_TITLE, "Київський національний", url):
        assert expected in text
    assert str(certificate.code) in text
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape


def test_the_pdf_is_in_the_language_it_is_rendered_in(completion):
    completion.certificate.issued_on = date(2026, 3, 8)
    with translation.override("uk"):
        text = pdf_text(render_certificate(completion.certificate, "https://campus.example/uk/certificates/x/"))

    assert "Сертифікат про завершення" in text
    assert "Видано: Київський національний університет, 08 березня 2026 р." in text


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("ნინო ბერიძე", "ექსპორტის კონტროლი"),
        ("Անի Հակոբյան", "Արտահանման հսկողություն"),
        ("Ion Ştefănescu", "Controlul exporturilor"),
    ],
)
def test_the_pdf_sets_georgian_armenian_and_romanian_text(site_tree, name, title):
    certificate = make_completion(site_tree, display_name=name).certificate
    certificate.title = title

    text = pdf_text(render_certificate(certificate, "https://campus.example/c/"))

    assert name in text and title in text


def test_a_seminar_certificate_says_participation_and_a_revoked_one_says_so(site_tree):
    completion = make_completion(site_tree, kind=Certificate.Kind.SEMINAR_PARTICIPATION)
    certificates.revoke(completion.certificate, by=completion.professor, reason="Did not attend.")

    text = pdf_text(render_certificate(completion.certificate, "https://campus.example/c/"))

    assert "Certificate of participation" in text
    assert "Revoked on" in text


def test_missing_fonts_are_reported_clearly(completion, settings, tmp_path):
    settings.CERTIFICATE_FONT_DIR = str(tmp_path)

    with pytest.raises(ImproperlyConfigured, match="DejaVuSans.ttf is missing"):
        render_certificate(completion.certificate, "https://campus.example/c/")
