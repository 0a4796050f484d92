"""The invitations page of a target (who may see and use it), and the page a link opens: opening it
changes nothing, accepting lands the person in what they were invited to, and every link that
cannot be used gets a page that says why."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from course.models import Enrolment
from network import invitations
from network.models import Invitation, InvitationAcceptance
from tests.cast import ROLES
from tests.factories import make_enrolment, make_user
from tests.network.test_invitations import invite, make_invitation_only_offering

pytestmark = pytest.mark.django_db

MAY_INVITE_TO_OFFERING = {"professor", "coordinator_a", "superuser"}
MAY_INVITE_TO_INSTITUTION = {"coordinator_a", "superuser"}
LIST_BUDGET = 14  # 4 for the session, offering and permission, 3 for the list, 4 for the title, 3 for the layout


@pytest.fixture
def offering(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, cohort="Kyiv spring cohort")
    make_enrolment(offering, user=cast.professor, role=Enrolment.Role.PROFESSOR)
    return offering


def list_url(kind, pk):
    return reverse("invitations:list", kwargs={"kind": kind, "pk": pk})


def client_for(person):
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    return client


def accept_url(invitation):
    return reverse("invitations:accept", args=[invitations.token_for(invitation)])


# Who may invite ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_offering_invitations_page_is_for_its_professors_and_the_hosts_coordinators(cast, offering, role):
    response = client_for(cast.people[role]).get(list_url("offering", offering.pk))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in MAY_INVITE_TO_OFFERING:
        assert response.status_code == 200
        assert "Invite one person" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_inviting_to_an_offering_is_refused_to_the_others(cast, offering, role):
    response = client_for(cast.people[role]).post(
        reverse("invitations:invite", kwargs={"kind": "offering", "pk": offering.pk}),
        {"email": "new@example.org", "role": "student", "days": 14, "max_uses": 1},
    )
    made = Invitation.objects.filter(email="new@example.org").exists()
    if role in MAY_INVITE_TO_OFFERING:
        assert response.status_code == 302 and made
    else:
        assert response.status_code == (302 if role == "anonymous" else 403) and not made
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_institution_invitations_page_is_for_its_coordinators(cast, role):
    response = client_for(cast.people[role]).get(list_url("institution", cast.a.pk))
    expected = 302 if role == "anonymous" else 200 if role in MAY_INVITE_TO_INSTITUTION else 403
    assert response.status_code == expected
    if role == "coordinator_b":
        assert client_for(cast.coordinator_b).get(list_url("institution", cast.b.pk)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_revoking_is_for_those_who_may_invite(cast, offering, role):
    invitation = invite(offering, by=cast.professor)
    response = client_for(cast.people[role]).post(
        reverse("invitations:revoke", kwargs={"kind": "offering", "pk": offering.pk, "invitation_id": invitation.pk})
    )
    invitation.refresh_from_db()
    if role in MAY_INVITE_TO_OFFERING:
        assert response.status_code == 302 and invitation.revoked_at is not None
    else:
        assert response.status_code == (302 if role == "anonymous" else 403) and invitation.revoked_at is None


@pytest.mark.parametrize("role", ROLES)
def test_inviting_to_an_institution_is_for_its_coordinators(cast, role):
    client = client_for(cast.people[role])
    kwargs = {"kind": "institution", "pk": cast.a.pk}
    one = client.post(reverse("invitations:invite", kwargs=kwargs),
                      {"email": "one@example.org", "role": "professor", "days": 14, "max_uses": 1})
    upload = SimpleUploadedFile("staff.csv", b"email,role\nfile@example.org,staff\n", content_type="text/csv")
    by_file = client.post(reverse("invitations:upload", kwargs=kwargs), {"file": upload, "days": 14})
    standing = invite(cast.a, "standing@example.org", by=cast.coordinator_a, role="staff")
    revoke = client.post(reverse("invitations:revoke", kwargs={**kwargs, "invitation_id": standing.pk}))
    standing.refresh_from_db()
    allowed = role in MAY_INVITE_TO_INSTITUTION
    for response in (one, by_file, revoke):
        assert response.status_code == (302 if allowed or role == "anonymous" else 403)
    assert Invitation.objects.filter(email="one@example.org").exists() is allowed
    assert Invitation.objects.filter(email="file@example.org").exists() is allowed
    assert (standing.revoked_at is not None) is allowed


def test_a_coordinator_of_b_cannot_revoke_as_invitation_through_bs_page(cast):
    standing = invite(cast.a, "standing@example.org", by=cast.coordinator_a, role="staff")
    response = client_for(cast.coordinator_b).post(reverse(
        "invitations:revoke", kwargs={"kind": "institution", "pk": cast.b.pk, "invitation_id": standing.pk}
    ))
    assert response.status_code == 404
    standing.refresh_from_db()
    assert standing.revoked_at is None


def test_revoking_takes_a_post_with_its_csrf_token(cast, offering):
    invitation = invite(offering, by=cast.professor)
    url = reverse("invitations:revoke", kwargs={"kind": "offering", "pk": offering.pk, "invitation_id": invitation.pk})
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.professor)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_unknown_target_or_another_targets_invitation_is_not_found(cast, offering):
    client = client_for(cast.superuser)
    assert client.get(list_url("planet", offering.pk)).status_code == 404
    assert client.get(list_url("offering", 999999)).status_code == 404
    elsewhere = invite(cast.b, "x@example.org", by=cast.coordinator_b)
    revoke = reverse(
        "invitations:revoke", kwargs={"kind": "offering", "pk": offering.pk, "invitation_id": elsewhere.pk}
    )
    assert client.post(revoke).status_code == 404


# Inviting ------------------------------------------------------------------------------------


def test_the_form_invites_one_person_and_mails_them(django_capture_on_commit_callbacks, cast, offering):
    client = client_for(cast.professor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:invite", kwargs={"kind": "offering", "pk": offering.pk}),
            {"name": "Ana Popescu", "email": "Ana@Example.org", "institution_name": "Technical University of Moldova",
             "role": "observer", "days": 7, "max_uses": 1},
            follow=True,
        )
    assert "The invitation is on its way to ana@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.institution_name) == ("observer", "Technical University of Moldova")
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    row = response.content.decode().split('class="invitation"')[1]
    assert "Ana Popescu" in row and "Pending" in row and "Observer" in row


def test_a_bad_form_changes_nothing_and_says_why(cast, offering):
    client = client_for(cast.professor)
    url = reverse("invitations:invite", kwargs={"kind": "offering", "pk": offering.pk})
    response = client.post(url, {"email": "not an address", "role": "dean", "days": 365, "max_uses": 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html and "Select a valid choice." in html
    assert "less than or equal to 90" in html
    invite(offering, "twice@example.org", by=cast.professor)
    response = client.post(url, {"email": "twice@example.org", "role": "student", "days": 14, "max_uses": 1})
    assert response.status_code == 400 and "already has an invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_the_form_refuses_an_address_longer_than_the_column(cast, offering):
    url = reverse("invitations:invite", kwargs={"kind": "offering", "pk": offering.pk})
    email = f"{'a' * 243}@example.org"
    response = client_for(cast.professor).post(url, {"email": email, "role": "student", "days": 14, "max_uses": 1})
    assert response.status_code == 400 and "at most 254 characters" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_assistant_is_offered_only_the_roles_they_may_give(cast, offering):
    assistant = make_enrolment(offering, role=Enrolment.Role.TEACHING_ASSISTANT).user
    html = client_for(assistant).get(list_url("offering", offering.pk)).content.decode()
    assert '<option value="observer">' in html and '<option value="professor">' not in html


def test_a_good_file_invites_everyone(django_capture_on_commit_callbacks, cast, offering):
    upload = SimpleUploadedFile(
        "attendees.csv", "name;email;institution;role\nAna;ana@example.org;uni-b;\nGiorgi;giorgi@example.org;;\n"
        .encode("utf-8-sig"), content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.professor).post(
            reverse("invitations:upload", kwargs={"kind": "offering", "pk": offering.pk}),
            {"file": upload, "days": 14}, follow=True,
        )
    assert "2 invitations were made" in response.content.decode()
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["ana@example.org", "giorgi@example.org"]
    assert len({batch for batch in Invitation.objects.values_list("batch", flat=True)}) == 1
    assert DBTaskResult.objects.count() == 1


def test_a_bad_file_invites_nobody_and_lists_each_problem(cast, offering):
    upload = SimpleUploadedFile("attendees.csv", b"name,email,role\nAna,ana@example.org,\nBad,bad,\nX,y@z.org,dean\n")
    response = client_for(cast.professor).post(
        reverse("invitations:upload", kwargs={"kind": "offering", "pk": offering.pk}), {"file": upload, "days": 14}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody was invited: attendees.csv has 2 problems." in html
    assert "Line 3: “bad” is not an email address." in html
    assert "Line 4: “dean” is not a role" in html
    assert not Invitation.objects.exists()


def test_the_example_file_reads_back_cleanly(cast, offering):
    from network import invitation_csv
    from network.invitation_targets import for_kind

    response = client_for(cast.professor).get(
        reverse("invitations:example_csv", kwargs={"kind": "offering", "pk": offering.pk})
    )
    assert response["Content-Type"].startswith("text/csv")
    invitees = invitation_csv.read(response.content, for_kind("offering"), offering, cast.professor)
    assert [invitee.institution for invitee in invitees] == [None, cast.ministry]


def test_the_list_shows_each_status(cast, offering):
    pending = invite(offering, "pending@example.org", by=cast.professor)
    accepted = invite(offering, "accepted@example.org", by=cast.professor)
    invitations.accept(invitations.token_for(accepted), cast.student)  # another address: flagged
    revoked = invite(offering, "revoked@example.org", by=cast.professor)
    invitations.revoke(revoked, cast.professor)
    expired = invite(offering, "expired@example.org", by=cast.professor)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    html = client_for(cast.professor).get(list_url("offering", offering.pk)).content.decode()
    rows = {row.split('class="email">')[1].split("<")[0]: row for row in html.split('<tr class="invitation"')[1:]}
    assert 'data-status="pending"' in rows[pending.email] and "Revoke the invitation" in rows[pending.email]
    assert 'data-status="accepted"' in rows[accepted.email] and "another address" in rows[accepted.email]
    assert cast.student.email in rows[accepted.email] and "Revoke the invitation" not in rows[accepted.email]
    assert 'data-status="revoked"' in rows[revoked.email]
    assert 'data-status="expired"' in rows[expired.email]


def test_the_list_page_costs_the_same_for_ten_or_two_hundred_invitations(
    cast, offering, django_assert_max_num_queries
):
    client = client_for(cast.professor)
    url = list_url("offering", offering.pk)
    for size in (10, 200):
        have = Invitation.objects.count()
        invitees = [invitations.Invitee(email=f"person{n}@example.org", name=f"Person {n}", institution=cast.b)
                    for n in range(have, size)]
        invitations.invite_many(offering, invitees, by=cast.professor)
        for invitation in Invitation.objects.filter(use_count=0)[:5]:
            invitations.accept(invitations.token_for(invitation), make_user())
        with django_assert_max_num_queries(LIST_BUDGET):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('<tr class="invitation"') == min(size, 50)


# The link's page -----------------------------------------------------------------------------

ACCEPT_PAGE_BUDGET = {"anonymous": 9, "signed-in": 8}  # the invitation, its target, title and seats; the layout


def test_the_links_page_costs_the_same_however_full_the_offering(cast, offering, django_assert_max_num_queries):
    invitation = invite(offering, "new.person@example.org", by=cast.professor)
    for size in (5, 100):
        while offering.enrolments.count() < size:
            make_enrolment(offering)
        for who, client in (("anonymous", Client()), ("signed-in", client_for(cast.student))):
            with django_assert_max_num_queries(ACCEPT_PAGE_BUDGET[who]):
                response = client.get(accept_url(invitation))
            assert response.status_code == 200 and "Kyiv spring cohort" in response.content.decode()



def test_opening_the_link_changes_nothing(cast, offering):
    invitation = invite(offering, "new.person@example.org", by=cast.professor)
    users = get_user_model().objects.count()
    response = Client().get(accept_url(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Export controls · Kyiv spring cohort" in html and "Accept the invitation" in html
    assert response["Cache-Control"].startswith("max-age=0") and response["Referrer-Policy"] == "same-origin"
    invitation.refresh_from_db()
    assert invitation.use_count == 0 and get_user_model().objects.count() == users
    assert not InvitationAcceptance.objects.exists()


def test_a_new_person_accepts_and_lands_enrolled_and_signed_in(cast, offering):
    invitation = invite(offering, "new.person@example.org", by=cast.professor, name="Giorgi Beridze")
    client = Client()
    response = client.post(accept_url(invitation))
    assert response.status_code == 302 and response["Location"] == f"/en/offerings/{offering.slug}/"
    page = client.get(response["Location"]).content.decode()
    assert "Welcome! You are enrolled in Export controls · Kyiv spring cohort as Student." in page
    assert "You are enrolled as: Student (Active)." in page
    person = get_user_model().objects.get(email="new.person@example.org")
    assert Enrolment.objects.get(user=person, offering=offering).status == "active"
    # Back at the link: already accepted, nothing more happens.
    again = client.get(accept_url(invitation))
    assert again.status_code == 200 and "You have already accepted this invitation." in again.content.decode()
    assert client.post(accept_url(invitation)).status_code == 302
    assert InvitationAcceptance.objects.count() == 1


def test_someone_with_a_password_is_asked_to_sign_in_first(cast, offering):
    invitation = invite(offering, cast.student.email, by=cast.professor)
    for method in ("get", "post"):
        response = getattr(Client(), method)(accept_url(invitation))
        html = response.content.decode()
        assert response.status_code == 200 and "Sign in to accept" in html
        assert f"next=%2Fen%2Finvitations%2Faccept%2F{invitations.token_for(invitation).replace(':', '%3A')}" in html
    response = client_for(cast.student).post(accept_url(invitation))
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=cast.student, offering=offering, status="active").exists()


def test_a_signed_in_person_with_another_address_is_warned_before_accepting(cast, offering):
    invitation = invite(offering, "work@example.org", by=cast.professor)
    html = client_for(cast.student).get(accept_url(invitation)).content.decode()
    assert "This invitation was sent to work@example.org; you are signed in as" in html


def test_a_privileged_invitation_for_someone_else_is_refused(cast, offering):
    invitation = invite(offering, "prof@example.org", by=cast.professor, role=Enrolment.Role.PROFESSOR)
    client = client_for(cast.student)
    response = client.get(accept_url(invitation))
    assert response.status_code == 403 and "only that person may accept it" in response.content.decode()
    assert client.post(accept_url(invitation)).status_code == 403
    assert not Enrolment.objects.filter(user=cast.student, offering=offering).exists()


def test_a_full_offering_refuses_the_acceptance_and_keeps_the_invitation(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, capacity=1)
    make_enrolment(offering)
    invitation = invite(offering, by=cast.superuser)
    response = Client().post(accept_url(invitation))
    assert response.status_code == 409 and "This offering is full" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.use_count == 0
    assert not get_user_model().objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize("case, status, text", [
    ("forged", 404, "This invitation link is not valid."),
    ("expired", 410, "This invitation expired on"),
    ("revoked", 410, "This invitation has been withdrawn"),
    ("used", 410, "This invitation has already been used."),
])
def test_a_link_that_cannot_be_used_gets_a_page_that_says_why(cast, offering, case, status, text):
    invitation = invite(offering, by=cast.professor)
    url = accept_url(invitation)
    if case == "forged":
        url = url.replace(":", ":x", 1)
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        invitations.revoke(invitation, cast.professor)
    else:
        invitations.accept(invitations.token_for(invitation), make_user())
    for method in ("get", "post"):
        response = getattr(client_for(cast.student), method)(url)
        assert response.status_code == status and text in response.content.decode()
    assert not Enrolment.objects.filter(user=cast.student).exists()


@pytest.mark.parametrize("token", ["%C2%B2:abc", "%D9%A3:abc", "1%C2%B2:abc"])
def test_a_link_with_a_digit_that_is_no_number_is_forged(cast, token):
    # "²" and "٣" are digits to str.isdigit() but int() refuses them.
    response = Client().get(f"/en/invitations/accept/{token}/")
    assert response.status_code == 404 and "This invitation link is not valid." in response.content.decode()


def test_the_offering_page_links_the_invitations_for_those_who_teach_it(cast, offering):
    url = reverse("course:offering", args=[offering.slug])
    for person in (cast.professor, cast.superuser):
        assert list_url("offering", offering.pk) in client_for(person).get(url).content.decode()
    for person in (cast.student, cast.coordinator_b, cast.anonymous):
        assert "Invite people" not in client_for(person).get(url).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_uploading_a_file_is_refused_to_those_who_may_not_invite(cast, offering, role):
    upload = SimpleUploadedFile("attendees.csv", b"email\nana@example.org\n", content_type="text/csv")
    response = client_for(cast.people[role]).post(
        reverse("invitations:upload", kwargs={"kind": "offering", "pk": offering.pk}), {"file": upload, "days": 14}
    )
    made = Invitation.objects.filter(email="ana@example.org").exists()
    if role in MAY_INVITE_TO_OFFERING:
        assert response.status_code == 302 and made
    else:
        assert response.status_code == (302 if role == "anonymous" else 403) and not made


def test_an_institution_invitation_lands_on_the_institution_page(cast):
    invitation = invite(cast.a, "lecturer@example.org", by=cast.coordinator_a, role="professor")
    client = Client()
    response = client.post(accept_url(invitation))
    assert response.status_code == 302 and response["Location"] == cast.pages.a.url
    assert cast.a.memberships.filter(person__email="lecturer@example.org", role="professor").exists()
    assert "Welcome: you are now a member of University A as Professor." in client.get(
        response["Location"]
    ).content.decode()


def test_an_address_someone_added_unconfirmed_hands_them_nothing(cast):
    # The passwordless attendee, signed in, adds the victim's address on allauth's email page.
    attacker = client_for(cast.external)
    attacker.post(reverse("account_email"), {"action_add": "", "email": "victim@example.org"})
    assert EmailAddress.objects.filter(user=cast.external, email="victim@example.org", verified=False).exists()
    invitation = invite(cast.a, "victim@example.org", by=cast.coordinator_a, role="coordinator")
    victim = Client()
    for method in ("get", "post"):
        response = getattr(victim, method)(accept_url(invitation))
        html = response.content.decode()
        assert response.status_code == 200 and "was added to an account here but never confirmed" in html
    assert "_auth_user_id" not in victim.session
    assert not cast.a.memberships.filter(person=cast.external).exists()
    assert not EmailAddress.objects.filter(email="victim@example.org", verified=True).exists()
    assert Invitation.objects.get(pk=invitation.pk).use_count == 0


def test_a_shared_link_asks_whoever_opens_it_signed_out_to_sign_in_or_sign_up(cast, offering):
    invitation = invite(offering, "group@example.org", by=cast.professor, max_uses=20)
    path = accept_url(invitation)
    next_query = f"next={path.replace('/', '%2F').replace(':', '%3A')}"
    for visitor in (Client(), Client()):  # the first one to click takes nothing from the second
        for method in ("get", "post"):
            response = getattr(visitor, method)(path)
            html = response.content.decode()
            assert response.status_code == 200 and "This link is shared" in html
            assert f'/en/accounts/login/?{next_query}' in html and f'/en/accounts/signup/?{next_query}' in html
            assert "_auth_user_id" not in visitor.session
    assert not get_user_model().objects.filter(email="group@example.org").exists()
    for person in (cast.student, cast.external):
        client = client_for(person)
        assert "This invitation was sent to" not in client.get(path).content.decode()
        assert client.post(path).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).use_count == 2
    assert set(offering.enrolments.filter(role="student").values_list("user", flat=True)) == {
        cast.student.pk, cast.external.pk
    }


def test_the_welcome_names_the_institution_in_the_readers_language(cast):
    from django.utils import translation

    from tests.factories import sync_language_trees, translate_page

    sync_language_trees("uk")
    translate_page(cast.pages.a, "uk", title="Університет А")
    invitation = invite(cast.a, "lecturer@example.org", by=cast.coordinator_a, role="professor")
    with translation.override("uk"):
        welcome = invitations.accept(invitations.token_for(invitation), AnonymousUser()).message
    assert "Університет А" in str(welcome) and "University A" not in str(welcome)
