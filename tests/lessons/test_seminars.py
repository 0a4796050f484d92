"""The rules of a seminar series: seats and the waiting list, people without an account, invitation
links, presentations, attendance and certificates. A refusal changes nothing."""

import threading
import time as clock
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from lessons import seminar_models, seminars
from lessons.seminar_models import (
    SeminarAttendance,
    SeminarConvenor,
    SeminarPresentation,
    SeminarRegistration,
    SeminarSeriesPage,
    SeminarSessionPage,
)
from network.models import Certificate
from tests.factories import make_institution, make_person, make_user

pytestmark = pytest.mark.django_db

Status, Route, Proposal = SeminarRegistration.Status, SeminarRegistration.Route, SeminarPresentation.Status
_numbers = iter(range(1, 1_000_000))


def make_series(site, sessions=4, convenor=None, institution=None, title=None, **fields):
    """A published series under the home page with ``sessions`` weekly sessions at 17:00 Kyiv time;
    the last one is the participants' session."""
    n = next(_numbers)
    series = site.home.add_child(instance=SeminarSeriesPage(
        title=title or f"Responsible science {n}", slug=f"responsible-science-{n}",
        institution=institution or make_institution(), **fields,
    ))
    convenor = convenor or make_user(first_name="Nino", last_name="Convenor")
    SeminarConvenor.objects.create(series=series, user=convenor)
    first = date.today() + timedelta(days=7)
    pages = [
        series.add_child(instance=SeminarSessionPage(
            title=f"Session {number}", slug=f"session-{number}", date=first + timedelta(days=7 * (number - 1)),
            start_time=time(17, 0), time_zone="Europe/Kyiv", meeting_url=f"https://meet.example.org/s{n}-{number}",
            is_participant_session=number == sessions,
        ))
        for number in range(1, sessions + 1)
    ]
    return SimpleNamespace(series=series, sessions=pages, convenor=convenor)


def snapshot():
    return sorted(SeminarRegistration.objects.values_list("series_id", "user_id", "status"))


def refused(call, *args, **kwargs):
    before = snapshot(), get_user_model().objects.count()
    with pytest.raises(seminars.SeminarRefused) as caught:
        call(*args, **kwargs)
    assert (snapshot(), get_user_model().objects.count()) == before
    return str(caught.value.message)


def applicant(email, name="Aigerim Sadykova", **fields):
    return seminars.Applicant(name=name, email=email, **fields)


@pytest.fixture(autouse=True)
def _english_urls():
    # A request in another language leaves that language active in the thread; reverse() follows it.
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    return make_series(site_tree)


@pytest.fixture
def sent_mail(django_capture_on_commit_callbacks):
    """Run the mails each call queues for after its commit."""
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)
    return run


# Seats and the waiting list


def test_registering_gives_a_seat_and_mails_a_private_link(built, sent_mail):
    person = make_user()
    registration = sent_mail(seminars.register, person, built.series)
    assert (registration.status, registration.route) == (Status.REGISTERED, Route.SITE)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    assert "You are registered" in mail.outbox[0].subject
    assert seminars.registration_token(registration) in mail.outbox[0].body


def test_a_full_series_puts_people_on_the_waiting_list(site_tree):
    built = make_series(site_tree, capacity=2)
    outcomes = [seminars.register(make_user(), built.series, mail=False).status for _ in range(3)]
    assert outcomes == [Status.REGISTERED, Status.REGISTERED, Status.WAITING]
    assert seminars.seats_left(built.series) == 0


def test_a_cancelled_seat_goes_to_the_first_waiting_with_a_mail_in_their_language(site_tree, sent_mail):
    built = make_series(site_tree, capacity=1)
    holder = seminars.register(make_user(), built.series, mail=False)
    first = make_person(preferred_language="uk")
    second = make_user()
    first_waiting = seminars.register(first, built.series, mail=False)
    seminars.register(second, built.series, mail=False)

    _cancelled, promoted = sent_mail(seminars.cancel, holder)

    assert [registration.pk for registration in promoted] == [first_waiting.pk]
    assert SeminarRegistration.objects.get(pk=first_waiting.pk).status == Status.REGISTERED
    assert SeminarRegistration.objects.get(user=second).status == Status.WAITING
    assert [message.to for message in mail.outbox] == [[first.email]]
    assert "/uk/seminars/registration/" in mail.outbox[0].body


def test_no_mail_goes_out_when_the_cancellation_does_not_commit(site_tree, django_capture_on_commit_callbacks):
    built = make_series(site_tree, capacity=1)
    holder = seminars.register(make_user(), built.series, mail=False)
    seminars.register(make_user(), built.series, mail=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seminars.cancel(holder)
    assert len(callbacks) == 1 and mail.outbox == []


def test_cancelling_from_the_waiting_list_promotes_nobody(site_tree):
    built = make_series(site_tree, capacity=1)
    seminars.register(make_user(), built.series, mail=False)
    waiting = seminars.register(make_user(), built.series, mail=False)
    behind = seminars.register(make_user(), built.series, mail=False)
    _cancelled, promoted = seminars.cancel(waiting)
    assert promoted == []
    assert SeminarRegistration.objects.get(pk=behind.pk).status == Status.WAITING


def test_a_newcomer_never_jumps_the_waiting_list(site_tree):
    built = make_series(site_tree, capacity=1)
    seminars.register(make_user(), built.series, mail=False)
    waiting = seminars.register(make_user(), built.series, mail=False)
    SeminarSeriesPage.objects.filter(pk=built.series.pk).update(capacity=2)  # a seat freed, nobody promoted yet
    built.series.refresh_from_db()
    newcomer = seminars.register(make_user(), built.series, mail=False)
    assert SeminarRegistration.objects.get(pk=waiting.pk).status == Status.REGISTERED
    assert newcomer.status == Status.WAITING


def test_raising_the_capacity_fills_seats_from_the_waiting_list(site_tree):
    built = make_series(site_tree, capacity=1)
    seminars.register(make_user(), built.series, mail=False)
    waiting = [seminars.register(make_user(), built.series, mail=False) for _ in range(3)]
    built.series.capacity = 3
    built.series.save_revision().publish()
    statuses = [SeminarRegistration.objects.get(pk=registration.pk).status for registration in waiting]
    assert statuses == [Status.REGISTERED, Status.REGISTERED, Status.WAITING]


def test_duplicate_registration_is_refused_and_changes_nothing(built):
    person = make_user()
    seminars.register(person, built.series, mail=False)
    assert "already registered" in refused(seminars.register, person, built.series, mail=False)


def test_a_cancelled_person_may_register_again_at_the_back_of_the_queue(site_tree):
    built = make_series(site_tree, capacity=1)
    person = make_user()
    first = seminars.register(person, built.series, mail=False)
    seminars.cancel(first)
    seminars.register(make_user(), built.series, mail=False)
    again = seminars.register(person, built.series, mail=False)
    assert again.pk == first.pk and again.status == Status.WAITING


def test_registration_closes_at_the_set_time(site_tree):
    built = make_series(site_tree, registration_closes_at=timezone.now() - timedelta(minutes=1))
    assert "closed" in refused(seminars.register, make_user(), built.series)
    assert "closed" in refused(seminars.register_applicant, built.series, applicant("late@example.org"))


def test_an_invitation_only_series_refuses_the_open_routes(site_tree):
    built = make_series(site_tree, open_registration=False)
    assert "invitation" in refused(seminars.register, make_user(), built.series)
    assert "invitation" in refused(seminars.register_applicant, built.series, applicant("open@example.org"))
    registration = seminars.register(make_user(), built.series, route=Route.INVITATION, mail=False)
    assert registration.status == Status.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_seat_do_not_both_get_it(site_tree):
    built = make_series(site_tree, capacity=1)
    people = [make_user(), make_user()]
    outcomes, barrier = [], threading.Barrier(2)

    def attempt(user):
        barrier.wait()
        try:
            outcomes.append(seminars.register(user, built.series, mail=False).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [Status.REGISTERED, Status.WAITING]
    assert SeminarRegistration.objects.filter(series=built.series, status=Status.REGISTERED).count() == 1


# People without an account


def test_an_applicant_gets_a_lightweight_account_and_a_way_to_claim_it(built, sent_mail):
    institution = make_institution(name="Colchis University of Life Sciences")
    registration = sent_mail(seminars.register_applicant, built.series, applicant(
        "Aigerim.Sadykova@Example.org", institution=institution, country="KZ",
        career_stage=SeminarRegistration.CareerStage.PHD, language="ru",
    ))
    user = registration.user
    assert user.email == "aigerim.sadykova@example.org" and not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("aigerim.sadykova@example.org", False, True)
    assert (user.profile.display_name, user.profile.institution, user.profile.preferred_language) == (
        "Aigerim Sadykova", institution, "ru"
    )
    assert (registration.route, registration.country.code, registration.career_stage) == (
        Route.FORM, "KZ", "phd-candidate"
    )
    body = mail.outbox[0].body
    assert "/ru/accounts/password/reset/" in body and "/ru/seminars/registration/" in body


def test_one_person_per_email_whatever_its_case(built, sent_mail):
    before = get_user_model().objects.count()
    first = seminars.register_applicant(built.series, applicant("Ana.Popescu@example.org"))
    again = sent_mail(seminars.register_applicant, built.series, applicant("ana.popescu@EXAMPLE.ORG", name="Someone"))
    assert get_user_model().objects.count() == before + 1
    assert again.pk == first.pk and SeminarRegistration.objects.filter(user=first.user).count() == 1
    assert first.user.profile.display_name == "Aigerim Sadykova"
    assert "nothing has changed" in mail.outbox[-1].body


def test_an_address_with_an_account_registers_that_account_and_leaves_its_profile_alone(built, sent_mail):
    member = make_person(email="giorgi@example.org", display_name="Giorgi Beridze")
    before = get_user_model().objects.count()
    registration = sent_mail(
        seminars.register_applicant, built.series, applicant("GIORGI@example.org", name="Impostor")
    )
    assert registration.user == member and get_user_model().objects.count() == before
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Giorgi Beridze"
    assert "password/reset" not in mail.outbox[0].body  # the account has its own password


def test_an_account_found_by_its_user_email_without_an_address_row(built):
    member = make_user(email="Old.Member@example.org")
    assert seminars.register_applicant(built.series, applicant("old.member@example.org")).user == member


# Invitation links


def test_an_invitation_names_its_series_inviter_and_address(built):
    token = seminars.invitation_token(built.series, built.convenor, "Invited@Example.org")
    invited = seminars.read_invitation(token)
    assert (invited.series, invited.invited_by, invited.email) == (built.series, built.convenor, "invited@example.org")


def test_an_expired_invitation_is_refused_as_expired(built, monkeypatch):
    past = clock.time() - timedelta(days=31).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: past)
    token = seminars.invitation_token(built.series, built.convenor)
    monkeypatch.undo()
    with pytest.raises(seminars.InvitationInvalid) as caught:
        seminars.read_invitation(token)
    assert caught.value.expired and "expired" in str(caught.value.message)


@pytest.mark.parametrize("forge", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: signing.TimestampSigner(salt="another").sign_object({"s": 1, "e": "", "by": 1}),
    lambda token: "not-a-token",
    lambda token: signing.dumps({"s": 1}),
])
def test_a_forged_invitation_is_refused(built, forge):
    token = forge(seminars.invitation_token(built.series, built.convenor))
    with pytest.raises(seminars.InvitationInvalid) as caught:
        seminars.read_invitation(token)
    assert not caught.value.expired and "not valid" in str(caught.value.message)


def test_an_invitation_registers_even_when_the_open_form_is_off(site_tree):
    built = make_series(site_tree, open_registration=False)
    invited = seminars.read_invitation(seminars.invitation_token(built.series, built.convenor))
    registration = seminars.register_applicant(
        built.series, applicant("guest@example.org"), route=Route.INVITATION, invited_by=invited.invited_by
    )
    assert (registration.route, registration.invited_by) == (Route.INVITATION, built.convenor)


def test_a_registration_link_finds_its_registration_and_nothing_else(built):
    registration = seminars.register(make_user(), built.series, mail=False)
    token = seminars.registration_token(registration)
    assert seminars.registration_from_token(token) == registration
    assert seminars.registration_from_token(token + "x") is None
    assert seminars.registration_from_token(
        signing.Signer(salt=seminars.REGISTRATION_SALT).sign_object({"r": registration.pk, "u": 0})
    ) is None


# Presentations


def slides(name="slides.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


@pytest.fixture
def participant(built):
    return seminars.register(make_user(), built.series, mail=False)


def propose(participant, built, **fields):
    return seminars.propose(participant, **{
        "session": built.sessions[-1], "title": "Export controls in my lab", "abstract": "What we changed.",
        **fields,
    })


def test_a_participant_proposes_and_a_convenor_accepts_into_the_programme(built, participant, sent_mail):
    presentation = propose(participant, built, slides=slides())
    assert presentation.status == Proposal.PROPOSED
    assert presentation.slides.name.startswith("seminars/slides/") and presentation.slides_name == "slides.pdf"
    assert seminars.programme(built.sessions[-1]) == []
    sent_mail(seminars.decide, built.convenor, presentation, accept=True)
    assert seminars.programme(built.sessions[-1]) == [presentation]
    assert "accepted" in mail.outbox[-1].subject.lower()


def test_a_declined_proposal_stays_out_of_the_programme(built, participant):
    presentation = propose(participant, built)
    assert seminars.decide(built.convenor, presentation, accept=False).status == Proposal.DECLINED
    assert seminars.programme(built.sessions[-1]) == []


def test_only_convenors_decide(built, participant):
    presentation = propose(participant, built)
    for someone in (participant.user, make_user()):
        with pytest.raises(PermissionDenied):
            seminars.decide(someone, presentation, accept=True)
    assert SeminarPresentation.objects.get().status == Proposal.PROPOSED


def test_a_superuser_may_decide(built, participant):
    presentation = propose(participant, built)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-12345-long")
    assert seminars.decide(admin, presentation, accept=True).status == Proposal.ACCEPTED


def test_a_participant_withdraws_only_their_own_proposal(built, participant):
    presentation = propose(participant, built)
    other = seminars.register(make_user(), built.series, mail=False)
    with pytest.raises(PermissionDenied):
        seminars.withdraw(other, presentation)
    seminars.withdraw(participant, presentation)
    assert SeminarPresentation.objects.get().status == Proposal.WITHDRAWN
    with pytest.raises(seminars.SeminarRefused):
        seminars.decide(built.convenor, presentation, accept=True)


def test_only_seat_holders_propose_and_only_for_the_participants_session(site_tree):
    built = make_series(site_tree, capacity=1)
    seminars.register(make_user(), built.series, mail=False)
    waiting = seminars.register(make_user(), built.series, mail=False)
    with pytest.raises(seminars.SeminarRefused):
        propose(waiting, built)
    holder = SeminarRegistration.objects.get(status=Status.REGISTERED)
    with pytest.raises(seminars.SeminarRefused):
        propose(holder, built, session=built.sessions[0])
    other = make_series(site_tree)
    with pytest.raises(seminars.SeminarRefused):
        propose(holder, built, session=other.sessions[-1])
    assert not SeminarPresentation.objects.exists()


@pytest.mark.parametrize("upload", [
    lambda: slides("slides.exe"),
    lambda: slides("slides.docx"),
    lambda: slides(size=2000),  # over the (lowered) limit
])
def test_slides_must_be_a_pdf_pptx_or_odp_within_the_limit(built, participant, upload, monkeypatch):
    monkeypatch.setattr(seminar_models, "MAX_SLIDES_BYTES", 1000)
    with pytest.raises(ValidationError):
        propose(participant, built, slides=upload())
    assert not SeminarPresentation.objects.exists()


def test_cancelling_withdraws_open_proposals(built, participant):
    presentation = propose(participant, built)
    seminars.decide(built.convenor, presentation, accept=True)
    seminars.cancel(participant)
    assert SeminarPresentation.objects.get().status == Proposal.WITHDRAWN
    assert seminars.programme(built.sessions[-1]) == []


# Attendance and certificates


def attend(built, registrations, sessions):
    issued = []
    for session in sessions:
        issued += seminars.record_attendance(built.convenor, session, [r.pk for r in registrations])
    return issued


def test_a_certificate_after_the_set_number_of_sessions_and_not_before(site_tree, sent_mail):
    built = make_series(site_tree, sessions_for_certificate=3, title="Responsible science in dual-use research")
    participant = seminars.register(make_user(), built.series, mail=False)
    assert sent_mail(attend, built, [participant], built.sessions[:2]) == []
    assert not Certificate.objects.exists() and mail.outbox == []
    [certificate] = sent_mail(attend, built, [participant], built.sessions[2:3])
    [notice] = mail.outbox
    assert notice.to == [participant.user.email] and certificate.get_absolute_url() in notice.body
    assert (certificate.kind, certificate.issuer, certificate.title, certificate.recipient) == (
        Certificate.Kind.SEMINAR_PARTICIPATION, built.series.institution,
        "Responsible science in dual-use research", participant.user,
    )
    assert certificate.source == participant
    # Marking again, or a fourth session, issues nothing more.
    assert sent_mail(attend, built, [participant], built.sessions[2:4]) == []
    assert Certificate.objects.count() == 1 and len(mail.outbox) == 1


def test_attendance_marked_on_a_translated_session_counts_for_the_source(built, participant):
    from tests.factories import translate_page

    translated = translate_page(built.sessions[0], "uk", title="Сесія 1")
    seminars.record_attendance(built.convenor, translated, [participant.pk])
    assert SeminarAttendance.objects.get().session_id == built.sessions[0].pk


def test_unmarking_takes_the_attendance_back(built, participant):
    session = built.sessions[0]
    seminars.record_attendance(built.convenor, session, [participant.pk])
    seminars.record_attendance(built.convenor, session, [])
    assert not SeminarAttendance.objects.exists()


def test_only_convenors_mark_attendance(built, participant):
    with pytest.raises(PermissionDenied):
        seminars.record_attendance(participant.user, built.sessions[0], [participant.pk])
    assert not SeminarAttendance.objects.exists()


def test_attendance_of_someone_not_registered_refuses_the_whole_form(site_tree, built, participant):
    waiting_series = make_series(site_tree)
    stranger = seminars.register(make_user(), waiting_series.series, mail=False)
    with pytest.raises(seminars.SeminarRefused):
        seminars.record_attendance(built.convenor, built.sessions[0], [participant.pk, stranger.pk])
    assert not SeminarAttendance.objects.exists()


def test_convenors_manage_the_certificate_of_a_registration(built, participant):
    assert participant.may_manage_certificate(built.convenor)
    assert not participant.may_manage_certificate(participant.user)
    assert not participant.may_manage_certificate(make_user())


# Participant list and time


@pytest.mark.parametrize("visibility, anonymous, participant_sees, waiting_sees, stranger_sees", [
    ("hidden", False, False, False, False),
    ("participants", False, True, False, False),
    ("public", True, True, True, True),
])
def test_who_sees_the_participant_list(site_tree, visibility, anonymous, participant_sees, waiting_sees, stranger_sees):
    from django.contrib.auth.models import AnonymousUser

    built = make_series(site_tree, capacity=1, participant_list_visibility=visibility)
    holder = seminars.register(make_user(), built.series, mail=False)
    waiting = seminars.register(make_user(), built.series, mail=False)
    see = seminars.may_see_participants
    assert see(built.convenor, built.series)
    assert (see(AnonymousUser(), built.series), see(holder.user, built.series), see(waiting.user, built.series),
            see(make_user(), built.series)) == (anonymous, participant_sees, waiting_sees, stranger_sees)


def test_a_session_keeps_the_host_time_and_stores_the_instant(built):
    session = built.sessions[0]
    assert session.starts_at.tzinfo is not None
    local = session.starts_at.astimezone(session.zone)
    assert (local.date(), local.time()) == (session.date, time(17, 0))


def test_a_wall_clock_time_the_host_zone_skips_is_refused(built):
    session = built.sessions[0]
    session.date, session.start_time = date(2026, 3, 29), time(3, 30)  # Kyiv clocks jump from 03:00 to 04:00
    with pytest.raises(ValidationError) as caught:
        session.clean()
    assert "start_time" in caught.value.message_dict


def test_translators_are_asked_for_words_not_for_the_time_zone():
    from wagtail_localize.fields import TranslatableField, get_translatable_fields

    fields = get_translatable_fields(SeminarSessionPage)
    translatable = {field.field_name for field in fields if isinstance(field, TranslatableField)}
    assert {"title", "summary", "audience", "speakers", "materials"} <= translatable
    assert not translatable & {"time_zone", "meeting_url", "recording_url"}


def test_registrations_belong_to_the_source_page_in_every_language(built):
    from tests.factories import translate_page

    ukrainian = translate_page(built.series, "uk", title="Відповідальна наука")
    assert seminars.source_page(ukrainian) == built.series
    translated_session = translate_page(built.sessions[0], "uk", title="Сесія 1")
    assert seminars.source_page(translated_session) == built.sessions[0]
    assert seminars.series_of(translated_session) == ukrainian
    with translation.override("uk"):
        assert built.series.localized == ukrainian

