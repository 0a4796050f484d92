"""The seminar pages and forms as people use them: registering with and without an account, the
private registration page, the convenors' pages, and every path that must be refused."""

import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from lessons import seminars
from lessons.seminar_models import SeminarAttendance, SeminarPresentation, SeminarRegistration
from network.models import Certificate
from tests.factories import make_institution, make_person, make_user, translate_page
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db

Status, Proposal = SeminarRegistration.Status, SeminarPresentation.Status


@pytest.fixture(autouse=True)
def _english_urls():
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    return make_series(site_tree)


def url(name, *args):
    return reverse(f"seminars:{name}", args=args)


def registration_snapshot():
    return sorted(SeminarRegistration.objects.values_list("series_id", "user_id", "status"))


def applicant_form(email="olga.rusu@example.org", **fields):
    return {"name": "Olga Rusu", "email": email, "institution": "", "institution_name": "Prut River State University",
            "country": "MD", "career_stage": "masters-student", **fields}


# The series and session pages


def test_anonymous_series_page_is_the_same_for_everyone(client, built, settings):
    response = client.get(built.series.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in html and "You are registered" not in html
    assert url("join", built.series.pk) in html
    assert html.count('class="seminar-session-item"') == 4
    assert "Participants&#x27; session" in html or "Participants' session" in html
    assert client.get(built.series.url)["X-Page-Cache"] == "hit"


def shown(moment, zone):
    return date_format(moment.astimezone(zoneinfo.ZoneInfo(zone)), "DATETIME_FORMAT")


def test_times_show_in_the_readers_zone_with_the_host_time_beside(client, built):
    session = built.sessions[0]
    html = client.get(session.url).content.decode()
    assert f"{shown(session.starts_at, 'UTC')}</time> <span class=\"meta\">(UTC)</span>" in html
    assert f"host's time: {shown(session.starts_at, 'Europe/Kyiv')} (Europe/Kyiv)" in html
    client.force_login(make_person(time_zone="Asia/Almaty"))
    html = client.get(session.url).content.decode()
    assert f"{shown(session.starts_at, 'Asia/Almaty')}</time> <span class=\"meta\">(Asia/Almaty)</span>" in html


def test_a_signed_in_person_registers_from_the_series_page(client, built):
    person = make_user()
    client.force_login(person)
    assert "Register for this series" in client.get(built.series.url).content.decode()
    response = client.post(url("register", built.series.pk), follow=True)
    assert "You are registered" in response.content.decode()
    assert SeminarRegistration.objects.get(user=person).status == Status.REGISTERED
    assert "Your registration: meeting links" in client.get(built.series.url).content.decode()


def test_registering_twice_from_the_page_says_so_and_changes_nothing(client, built):
    person = make_user()
    client.force_login(person)
    client.post(url("register", built.series.pk))
    before = registration_snapshot()
    response = client.post(url("register", built.series.pk), follow=True)
    assert "already registered" in response.content.decode()
    assert registration_snapshot() == before


def test_registering_signed_out_from_the_page_asks_to_sign_in(client, built):
    response = client.post(url("register", built.series.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not SeminarRegistration.objects.exists()


def test_the_meeting_link_shows_only_to_seat_holders_and_convenors(client, site_tree):
    built = make_series(site_tree, capacity=1)
    session = built.sessions[0]
    holder = seminars.register(make_user(), built.series, mail=False).user
    waiting = seminars.register(make_user(), built.series, mail=False).user
    assert session.meeting_url not in client.get(session.url).content.decode()
    for person, sees in ((holder, True), (waiting, False), (make_user(), False), (built.convenor, True)):
        client.force_login(person)
        assert (session.meeting_url in client.get(session.url).content.decode()) is sees


def test_a_translated_series_page_registers_for_the_source(client, built):
    ukrainian = translate_page(built.series, "uk", title="Відповідальна наука")
    person = make_user()
    client.force_login(person)
    client.post(url("register", ukrainian.pk))
    assert SeminarRegistration.objects.get(user=person).series_id == built.series.pk


# Registering without an account


def test_the_open_form_registers_an_applicant_and_mails_them(client, built, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("join", built.series.pk), applicant_form())
    assert response.status_code == 302 and response["Location"] == url("registered", built.series.pk)
    registration = SeminarRegistration.objects.get(user__email="olga.rusu@example.org")
    assert registration.user.profile.institution_name == "Prut River State University"
    assert registration.country.code == "MD"
    assert mail.outbox[0].to == ["olga.rusu@example.org"]
    assert reverse("account_reset_password") in mail.outbox[0].body


def test_the_open_form_answers_the_same_whether_or_not_the_address_has_an_account(client, built):
    seminars.register(make_user(email="member@example.org"), built.series, mail=False)
    known = client.post(url("join", built.series.pk), applicant_form(email="Member@example.org"))
    unknown = client.post(url("join", built.series.pk), applicant_form(email="new.person@example.org"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert get_user_model().objects.filter(email__iexact="member@example.org").count() == 1


def test_the_open_form_refuses_bad_input_and_changes_nothing(client, built):
    users = get_user_model().objects.count()
    institution = make_institution()
    data = applicant_form(email="not-an-email", institution=institution.pk)
    response = client.post(url("join", built.series.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address" in html and "not both" in html
    assert get_user_model().objects.count() == users and not SeminarRegistration.objects.exists()


def test_the_open_form_says_when_registration_has_closed(client, site_tree):
    built = make_series(site_tree, registration_closes_at=timezone.now() - timedelta(hours=1))
    assert "closed" in client.get(url("join", built.series.pk)).content.decode()
    response = client.post(url("join", built.series.pk), applicant_form())
    assert "closed" in response.content.decode() and not SeminarRegistration.objects.exists()


def test_the_open_form_is_off_for_an_invitation_only_series(client, site_tree):
    built = make_series(site_tree, open_registration=False)
    response = client.post(url("join", built.series.pk), applicant_form())
    assert "invitation only" in response.content.decode() and not SeminarRegistration.objects.exists()


def test_an_unpublished_series_has_no_form(client, built):
    built.series.unpublish()
    assert client.get(url("join", built.series.pk)).status_code == 404


# Invitation links


def test_a_convenor_makes_an_invitation_and_it_registers_the_invited_address(
    client, site_tree, django_capture_on_commit_callbacks
):
    built = make_series(site_tree, open_registration=False)
    client.force_login(built.convenor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", built.series.pk), {"email": "Invited@Example.org"})
    html = response.content.decode()
    assert 'id="invitation-url"' in html and mail.outbox[0].to == ["invited@example.org"]
    link = mail.outbox[0].body.split("/en/seminars/invitation/")[1].split()[0]
    client.logout()
    form = client.get(url("invitation", link.rstrip("/")))
    assert form.status_code == 200 and "invited@example.org" in form.content.decode()
    # The address comes from the invitation, whatever the form posts.
    client.post(url("invitation", link.rstrip("/")), applicant_form(email="someone.else@example.org"))
    registration = SeminarRegistration.objects.get()
    assert (registration.user.email, registration.invited_by, registration.route) == (
        "invited@example.org", built.convenor, "invitation"
    )


def test_an_expired_invitation_gets_a_clear_page(client, built, monkeypatch):
    past = signing.time.time() - timedelta(days=31).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: past)
    token = seminars.invitation_token(built.series, built.convenor)
    monkeypatch.undo()
    response = client.get(url("invitation", token))
    assert response.status_code == 410 and "expired" in response.content.decode()
    client.post(url("invitation", token), applicant_form())
    assert not SeminarRegistration.objects.exists()


def test_a_forged_invitation_gets_a_clear_page(client, built):
    token = seminars.invitation_token(built.series, built.convenor)
    forged = signing.TimestampSigner(salt=seminars.INVITATION_SALT, key="guessed").sign_object({"s": built.series.pk})
    for bad in (forged, token[:-3] + "abc", "garbage"):
        response = client.post(url("invitation", bad), applicant_form())
        assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not SeminarRegistration.objects.exists()


def test_a_signed_in_person_accepts_an_invitation_with_one_button(client, site_tree):
    built = make_series(site_tree, open_registration=False)
    person = make_user()
    client.force_login(person)
    token = seminars.invitation_token(built.series, built.convenor)
    assert "Register as" in client.get(url("invitation", token)).content.decode()
    client.post(url("invitation", token))
    assert SeminarRegistration.objects.get().user == person


def test_an_invitation_for_another_address_is_not_used_by_a_signed_in_person(client, built):
    client.force_login(make_user())
    token = seminars.invitation_token(built.series, built.convenor, "someone@example.org")
    assert client.post(url("invitation", token)).status_code == 403
    assert not SeminarRegistration.objects.exists()


# The private registration page


@pytest.fixture
def participant(built):
    return seminars.register(make_user(), built.series, mail=False)


def test_the_registration_page_needs_a_valid_link(client, participant):
    token = seminars.registration_token(participant)
    page = client.get(url("registration", token))
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert client.get(url("registration", token + "x")).status_code == 404
    assert client.post(url("cancel", token + "x")).status_code == 404


def test_cancelling_through_the_registration_page(client, participant):
    response = client.post(url("cancel", seminars.registration_token(participant)), follow=True)
    assert "cancelled" in response.content.decode()
    assert SeminarRegistration.objects.get().status == Status.CANCELLED


def test_proposing_with_slides_through_the_registration_page(client, built, participant):
    token = seminars.registration_token(participant)
    slides = SimpleUploadedFile("my-talk.pdf", b"%PDF-1.4 slides", content_type="application/pdf")
    response = client.post(url("propose", token), {
        "session": built.sessions[-1].pk, "title": "Dual-use risks in a microbiology lab",
        "abstract": "What we <b>changed</b>.", "slides": slides,
    }, follow=True)
    assert "your proposal is with the convenors" in response.content.decode()
    presentation = SeminarPresentation.objects.get()
    assert presentation.status == Proposal.PROPOSED and presentation.slides_name == "my-talk.pdf"


@pytest.mark.parametrize("fields, error", [
    ({"slides": lambda: SimpleUploadedFile("talk.exe", b"MZ")}, "extension"),
    ({"session": lambda built: built.sessions[0].pk}, "Select a valid choice"),
    ({"title": lambda: ""}, "This field is required"),
])
def test_a_bad_proposal_is_refused_and_changes_nothing(client, built, participant, fields, error):
    data = {"session": built.sessions[-1].pk, "title": "A talk", "abstract": "Text."}
    for name, make in fields.items():
        data[name] = make(built) if make.__code__.co_argcount else make()
    response = client.post(url("propose", seminars.registration_token(participant)), data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not SeminarPresentation.objects.exists()


def test_slides_over_the_limit_are_refused(client, built, participant, monkeypatch):
    from lessons import seminar_models

    monkeypatch.setattr(seminar_models, "MAX_SLIDES_BYTES", 100)
    response = client.post(url("propose", seminars.registration_token(participant)), {
        "session": built.sessions[-1].pk, "title": "A talk", "abstract": "Text.",
        "slides": SimpleUploadedFile("talk.pdf", b"x" * 200),
    })
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not SeminarPresentation.objects.exists()


def test_withdrawing_someone_elses_proposal_through_ones_own_link_is_not_found(client, built, participant):
    presentation = seminars.propose(participant, session=built.sessions[-1], title="Mine", abstract="Text.")
    other = seminars.register(make_user(), built.series, mail=False)
    response = client.post(url("withdraw", seminars.registration_token(other), presentation.pk))
    assert response.status_code == 404 and SeminarPresentation.objects.get().status == Proposal.PROPOSED
    client.post(url("withdraw", seminars.registration_token(participant), presentation.pk))
    assert SeminarPresentation.objects.get().status == Proposal.WITHDRAWN


# Convenors' pages


@pytest.mark.parametrize("name", ["manage"])
def test_only_convenors_manage(client, built, name):
    address = url(name, built.series.pk)
    response = client.get(address)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(make_user())
    assert client.get(address).status_code == 403
    client.force_login(built.convenor)
    assert client.get(address).status_code == 200


def test_convenor_posts_refused_to_others(client, built, participant):
    presentation = seminars.propose(participant, session=built.sessions[-1], title="Mine", abstract="Text.")
    posts = [
        (url("decide", built.series.pk, presentation.pk), {"decision": "accept"}),
        (url("invite", built.series.pk), {"email": ""}),
        (url("attendance", built.sessions[0].pk), {"present": [participant.pk]}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == 302  # to sign in
    client.force_login(participant.user)
    for address, data in posts:
        assert client.post(address, data).status_code == 403
    assert SeminarPresentation.objects.get().status == Proposal.PROPOSED
    assert not SeminarAttendance.objects.exists() and mail.outbox == []


def test_a_convenor_accepts_and_the_programme_shows_it(client, built, participant):
    presentation = seminars.propose(participant, session=built.sessions[-1], title="Biosafety at home", abstract="A.")
    client.force_login(built.convenor)
    assert "Biosafety at home" in client.get(url("manage", built.series.pk)).content.decode()
    client.post(url("decide", built.series.pk, presentation.pk), {"decision": "accept"})
    assert SeminarPresentation.objects.get().status == Proposal.ACCEPTED
    client.logout()
    html = client.get(built.sessions[-1].url).content.decode()
    assert 'class="programme-item"' in html and "Biosafety at home" in html


def test_deciding_another_series_presentation_is_not_found(client, site_tree, built, participant):
    other = make_series(site_tree)
    elsewhere = seminars.register(make_user(), other.series, mail=False)
    presentation = seminars.propose(elsewhere, session=other.sessions[-1], title="Theirs", abstract="Text.")
    client.force_login(built.convenor)
    response = client.post(url("decide", built.series.pk, presentation.pk), {"decision": "accept"})
    assert response.status_code == 404 and SeminarPresentation.objects.get().status == Proposal.PROPOSED
    assert client.post(url("decide", built.series.pk, 999999), {"decision": "accept"}).status_code == 404


def test_a_decision_that_is_neither_accept_nor_decline_is_refused(client, built, participant):
    presentation = seminars.propose(participant, session=built.sessions[-1], title="Mine", abstract="Text.")
    client.force_login(built.convenor)
    assert client.post(url("decide", built.series.pk, presentation.pk), {"decision": "maybe"}).status_code == 400
    assert SeminarPresentation.objects.get().status == Proposal.PROPOSED


def test_attendance_form_issues_certificates_at_the_set_number(client, site_tree):
    built = make_series(site_tree, sessions_for_certificate=2)
    participant = seminars.register(make_user(), built.series, mail=False)
    client.force_login(built.convenor)
    page = client.get(url("attendance", built.sessions[0].pk)).content.decode()
    assert f'id="present-{participant.pk}"' in page
    client.post(url("attendance", built.sessions[0].pk), {"present": [participant.pk]})
    assert not Certificate.objects.exists()
    response = client.post(url("attendance", built.sessions[1].pk), {"present": [participant.pk]}, follow=True)
    assert "Certificates of participation issued: 1" in response.content.decode()
    assert Certificate.objects.get().kind == Certificate.Kind.SEMINAR_PARTICIPATION


def test_a_tampered_attendance_form_is_refused_and_changes_nothing(client, site_tree, built, participant):
    stranger = seminars.register(make_user(), make_series(site_tree).series, mail=False)
    client.force_login(built.convenor)
    for present in ([participant.pk, stranger.pk], ["abc"], [999999]):
        response = client.post(url("attendance", built.sessions[0].pk), {"present": present})
        assert response.status_code == 400
    assert not SeminarAttendance.objects.exists()


def test_a_convenor_of_one_series_cannot_mark_another(client, site_tree, built):
    other = make_series(site_tree)
    client.force_login(built.convenor)
    assert client.get(url("attendance", other.sessions[0].pk)).status_code == 403


# Participant list and slides


@pytest.mark.parametrize("visibility, anonymous, participant_code, stranger_code", [
    ("hidden", 302, 403, 403),
    ("participants", 302, 200, 403),
    ("public", 200, 200, 200),
])
def test_participant_list_follows_the_visibility(client, site_tree, visibility, anonymous, participant_code,
                                                 stranger_code):
    built = make_series(site_tree, participant_list_visibility=visibility)
    holder = seminars.register(make_user(first_name="Ana", last_name="Visible"), built.series, mail=False)
    address = url("participants", built.series.pk)
    assert client.get(address).status_code == anonymous
    for person, code in ((holder.user, participant_code), (make_user(), stranger_code), (built.convenor, 200)):
        client.force_login(person)
        response = client.get(address)
        assert response.status_code == code
        if code == 200:
            assert "Ana Visible" in response.content.decode()
            assert (holder.user.email in response.content.decode()) is (person == built.convenor)


def test_the_participant_list_is_paginated(client, site_tree):
    built = make_series(site_tree, participant_list_visibility="public")
    for _ in range(55):
        seminars.register(make_user(), built.series, mail=False)
    first = client.get(url("participants", built.series.pk)).content.decode()
    second = client.get(url("participants", built.series.pk), {"page": 2}).content.decode()
    assert first.count('class="participant"') == 50 and second.count('class="participant"') == 5


def test_slides_are_public_once_accepted_and_for_convenors_before(client, built, participant):
    slides = SimpleUploadedFile("talk.pdf", b"%PDF-1.4 slides")
    presentation = seminars.propose(participant, session=built.sessions[-1], title="T", abstract="A", slides=slides)
    address = url("slides", presentation.pk)
    assert client.get(address).status_code == 404
    client.force_login(built.convenor)
    response = client.get(address)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    seminars.decide(built.convenor, presentation, accept=True)
    client.logout()
    assert client.get(address).status_code == 200
