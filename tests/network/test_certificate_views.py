"""The public verification page, the PDF download and the revocation form."""

import uuid
from io import BytesIO

import pytest
from pypdf import PdfReader

from network import certificates
from network.models import Certificate
from tests.factories import make_enrolment, make_user
from tests.network.test_certificates import COURSE_TITLE, make_completion, make_other_offerings_professor

pytestmark = pytest.mark.django_db


@pytest.fixture
def completion(site_tree):
    return make_completion(site_tree)


def verify_url(certificate, language="en"):
    return f"/{language}/certificates/{certificate.code}/"


def pdf_url(certificate, language="en"):
    return f"/{language}/certificates/{certificate.code}/certificate.pdf"


def revoke_url(certificate, language="en"):
    return f"/{language}/certificates/{certificate.code}/revoke/"


def revoke(certificate, by, reason="Plagiarised final essay."):
    return certificates.revoke(certificate, by=by, reason=reason)


def test_the_verification_page_says_a_valid_certificate_is_valid(client, completion):
    response = client.get(verify_url(completion.certificate))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert 'class="site-header"' in html
    assert "<h1" in html and "Certificate of completion" in html
    assert '<h2 id="certificate-status">Valid</h2>' in html
    facts = ("Тарас Шевченко", COURSE_TITLE, "Київський національний університет", str(completion.certificate.code))
    for fact in facts:
        assert fact in html
    assert "Revoked" not in html
    assert "certificate.pdf" not in html  # no download link for strangers


def test_the_verification_page_speaks_ukrainian_under_uk(client, completion):
    html = client.get(verify_url(completion.certificate, "uk")).content.decode()

    assert '<html lang="uk">' in html
    assert "Сертифікат про завершення" in html
    assert '<h2 id="certificate-status">Дійсний</h2>' in html
    assert "Ким видано" in html


def test_the_verification_page_shows_a_revocation_with_its_date_and_reason(client, completion):
    revoke(completion.certificate, by=completion.professor)

    response = client.get(verify_url(completion.certificate))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="revoked"' in html
    assert "Revoked on " in html
    assert "This certificate is no longer valid." in html
    assert "Plagiarised final essay." in html
    assert ">Valid<" not in html


def test_a_revocation_shows_at_once_to_anonymous_readers(client, completion):
    url = verify_url(completion.certificate)
    first = client.get(url)
    assert ">Valid<" in first.content.decode()
    assert first.get("X-Page-Cache") is None

    revoke(completion.certificate, by=completion.professor)

    second = client.get(url)
    assert second.get("X-Page-Cache") is None
    assert "Revoked on " in second.content.decode()


def test_an_unknown_code_is_a_clear_404(client, completion):
    code = uuid.uuid4()

    response = client.get(f"/en/certificates/{code}/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate found" in html
    assert f"No certificate has the code {code}." in html
    assert 'class="site-header"' in html


def test_an_unknown_code_is_a_clear_404_in_ukrainian(client, completion):
    response = client.get(f"/uk/certificates/{uuid.uuid4()}/")

    assert response.status_code == 404
    assert "Сертифікат не знайдено" in response.content.decode()


def test_a_malformed_code_is_not_found(client, completion):
    assert client.get("/en/certificates/not-a-code/").status_code == 404


def test_the_recipient_downloads_the_pdf(client, completion):
    client.force_login(completion.student)

    page = client.get(verify_url(completion.certificate)).content.decode()
    response = client.get(pdf_url(completion.certificate))

    assert f'href="{pdf_url(completion.certificate)}"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{completion.certificate.code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Тарас Шевченко" in text
    assert f"http://testserver/en/certificates/{completion.certificate.code}/" in text


def test_the_pdf_is_in_the_language_of_the_request(client, completion):
    client.force_login(completion.student)

    response = client.get(pdf_url(completion.certificate, "uk"))

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Сертифікат про завершення" in text
    assert f"http://testserver/uk/certificates/{completion.certificate.code}/" in text


def test_the_offerings_professor_may_download_the_pdf(client, completion):
    client.force_login(completion.professor)

    assert client.get(pdf_url(completion.certificate)).status_code == 200


def test_strangers_may_not_download_the_pdf(client, completion, site_tree):
    strangers = (
        make_user(),
        make_enrolment(completion.offering).user,
        make_other_offerings_professor(completion, site_tree),
    )
    for stranger in strangers:
        client.force_login(stranger)
        response = client.get(pdf_url(completion.certificate))
        assert response.status_code == 403
        assert not response.content.startswith(b"%PDF")


def test_anonymous_readers_are_sent_to_sign_in_for_the_pdf(client, completion):
    url = pdf_url(completion.certificate)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={url}"


def test_the_revocation_form_asks_for_a_reason(client, completion):
    client.force_login(completion.professor)

    page = client.get(verify_url(completion.certificate)).content.decode()
    response = client.get(revoke_url(completion.certificate))

    html = response.content.decode()
    assert f'href="{revoke_url(completion.certificate)}"' in page
    assert response.status_code == 200
    assert "<h1" in html and "Revoke a certificate" in html
    assert '<label for="id_reason">' in html
    assert '<textarea name="reason"' in html and "required" in html
    assert "csrfmiddlewaretoken" in html
    assert "Тарас Шевченко" in html


def test_revoking_redirects_to_the_verification_page_with_a_message(client, completion):
    client.force_login(completion.professor)

    response = client.post(revoke_url(completion.certificate), {"reason": "  Plagiarised final essay.  "})

    assert response.status_code == 302
    assert response["Location"] == verify_url(completion.certificate)
    stored = Certificate.objects.get()
    assert (stored.is_valid, stored.revoked_by, stored.revocation_reason) == (
        False,
        completion.professor,
        "Plagiarised final essay.",
    )
    html = client.get(response["Location"]).content.decode()
    assert "The certificate of Тарас Шевченко is revoked." in html
    assert "Revoked on " in html
    assert "Revoke this certificate" not in html


def test_revoking_goes_back_to_a_safe_next_address(client, completion):
    client.force_login(completion.professor)
    participants = f"/en/offerings/{completion.offering.slug}/participants/"

    form = client.get(revoke_url(completion.certificate), {"next": participants}).content.decode()
    response = client.post(revoke_url(completion.certificate), {"reason": "Mistake.", "next": participants})

    assert f'<input type="hidden" name="next" value="{participants}">' in form
    assert response["Location"] == participants


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_unsafe_next_address_is_ignored(client, completion, unsafe):
    client.force_login(completion.professor)

    response = client.post(revoke_url(completion.certificate), {"reason": "Mistake.", "next": unsafe})

    assert response["Location"] == verify_url(completion.certificate)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_blank_reason_shows_the_form_again_and_changes_nothing(client, completion, reason):
    client.force_login(completion.professor)

    response = client.post(revoke_url(completion.certificate), {"reason": reason})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason for revoking this certificate." in html
    assert "The certificate was not revoked." in html
    assert Certificate.objects.get().is_valid


def test_revoking_an_already_revoked_certificate_changes_nothing(client, completion):
    revoke(completion.certificate, by=completion.assistant, reason="First reason.")
    first = Certificate.objects.get()
    client.force_login(completion.professor)

    page = client.get(revoke_url(completion.certificate)).content.decode()
    response = client.post(revoke_url(completion.certificate), {"reason": "Second reason."})

    assert "This certificate was already revoked on" in page
    assert '<textarea name="reason"' not in page
    assert response.status_code == 200
    assert "This certificate was already revoked on" in response.content.decode()
    stored = Certificate.objects.get()
    assert (stored.revoked_at, stored.revoked_by, stored.revocation_reason) == (
        first.revoked_at,
        completion.assistant,
        "First reason.",
    )


def test_non_managers_may_not_revoke(client, completion, site_tree):
    for person in (
        completion.student,
        make_enrolment(completion.offering).user,
        make_other_offerings_professor(completion, site_tree),
    ):
        client.force_login(person)
        assert client.get(revoke_url(completion.certificate)).status_code == 403
        assert client.post(revoke_url(completion.certificate), {"reason": "Because."}).status_code == 403
    assert Certificate.objects.get().is_valid


def test_anonymous_readers_are_sent_to_sign_in_to_revoke(client, completion):
    url = revoke_url(completion.certificate)

    response = client.post(url, {"reason": "Because."})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert Certificate.objects.get().is_valid


def test_the_revocation_form_speaks_ukrainian(client, completion):
    client.force_login(completion.professor)

    response = client.post(revoke_url(completion.certificate, "uk"), {"reason": ""})

    assert "Вкажіть причину відкликання цього сертифіката." in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_verification_page_query_budget_does_not_grow_with_the_data(
    client, site_tree, django_assert_max_num_queries, signed_in
):
    completion = make_completion(site_tree)
    if signed_in:
        client.force_login(completion.professor)
    # The site layout (navigation, language switcher) costs 6; a signed-in manager adds the
    # session, the user and the certificate's source and offering.
    budget = 12 if signed_in else 7
    with django_assert_max_num_queries(budget) as small:
        assert client.get(verify_url(completion.certificate)).status_code == 200

    for _ in range(15):
        make_completion(site_tree)
    revoke(completion.certificate, by=completion.professor)
    with django_assert_max_num_queries(budget) as large:
        assert client.get(verify_url(completion.certificate)).status_code == 200

    assert len(large.captured_queries) <= len(small.captured_queries)
