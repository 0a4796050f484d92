"""The rules of invitations: the signed link, expiry, revocation, the use limit, forgery, who
accepts (an existing account, a new lightweight one, a signed-in person with another address), two
people racing for a single-use invitation, and the mail in the invitee's language."""

import re
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone, translation

from course.models import Enrolment, Offering
from network import invitations
from network.invitation_targets import InvitationRefused
from network.models import Invitation, InvitationAcceptance, Membership
from tests.factories import make_course, make_enrolment, make_offering, make_person, make_user

pytestmark = pytest.mark.django_db

Role = Enrolment.Role


def make_invitation_only_offering(site, host, **fields):
    course = make_course(site, modules=1, lectures_per_module=1, title="Export controls").course
    return make_offering(course, host=host, enrolment_policy=Offering.Policy.INVITATION, **fields)


@pytest.fixture
def offering(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, cohort="Kyiv spring cohort")
    make_enrolment(offering, user=cast.professor, role=Role.PROFESSOR)
    return offering


def invite(target, email="aigerim.sadykova@example.org", by=None, **fields):
    terms = {key: fields.pop(key) for key in ("days", "max_uses", "language") if key in fields}
    invitee = invitations.Invitee(email=email, **fields)
    with translation.override(terms.pop("language", "en")):
        return invitations.invite(target, invitee, by=by, **terms)


def token_in(message):
    return re.search(r"/invitations/accept/([^/\s]+)/", message.body).group(1)


def snapshot():
    return (
        sorted(Enrolment.objects.values_list("user_id", "offering_id", "role", "status")),
        sorted(InvitationAcceptance.objects.values_list("invitation_id", "person_id")),
        sorted(Invitation.objects.values_list("pk", "use_count", "revoked_at")),
        get_user_model().objects.count(),
    )


def refused(exception, call, *args, **kwargs):
    before = snapshot()
    with pytest.raises(exception) as caught:
        call(*args, **kwargs)
    assert snapshot() == before
    return caught.value


# Inviting ------------------------------------------------------------------------------------


def test_an_invitation_is_mailed_with_its_signed_link(django_capture_on_commit_callbacks, cast, offering):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(offering, "Aigerim.Sadykova@Example.org", by=cast.professor, name="Aigerim Sadykova")
    assert (invitation.email, invitation.role, invitation.max_uses) == ("aigerim.sadykova@example.org", "student", 1)
    assert invitation.expires_at - invitation.created_at == timedelta(days=invitations.DEFAULT_DAYS)
    [message] = mail.outbox
    assert message.to == ["aigerim.sadykova@example.org"]
    assert "Export controls · Kyiv spring cohort" in message.subject
    assert "Hello Aigerim Sadykova," in message.body and "as Student" in message.body
    assert f"/en/invitations/accept/{invitations.token_for(invitation)}/" in message.body
    assert invitations.read(token_in(message)) == invitation


def test_the_mail_speaks_the_invitees_language_when_an_account_tells_it(
    django_capture_on_commit_callbacks, cast, offering
):
    known = make_person(email="known@example.org", preferred_language="uk")
    with django_capture_on_commit_callbacks(execute=True):
        invite(offering, known.email.upper(), by=cast.professor, language="ro")
        invite(offering, "stranger@example.org", by=cast.professor, language="ro")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "/uk/invitations/accept/" in by_address["known@example.org"].body
    assert "/ro/invitations/accept/" in by_address["stranger@example.org"].body


def test_only_those_who_may_invite_do(cast, offering):
    for person in (cast.student, cast.external, cast.coordinator_b):
        refused(PermissionDenied, invite, offering, by=person)
    assert invite(offering, "one@example.org", by=cast.coordinator_a).invited_by == cast.coordinator_a
    assert invite(offering, "two@example.org", by=cast.superuser)


def test_a_teaching_assistant_invites_students_but_no_professors(cast, offering):
    assistant = make_enrolment(offering, role=Role.TEACHING_ASSISTANT).user
    assert invite(offering, "student@example.org", by=assistant, role=Role.OBSERVER).role == Role.OBSERVER
    error = refused(InvitationRefused, invite, offering, "prof@example.org", by=assistant, role=Role.PROFESSOR)
    assert "professor" in error.message
    assert invite(offering, "prof@example.org", by=cast.professor, role=Role.PROFESSOR).role == Role.PROFESSOR


def test_a_second_invitation_waits_until_the_first_is_used_or_revoked(cast, offering):
    first = invite(offering, "twice@example.org", by=cast.professor)
    error = refused(InvitationRefused, invite, offering, "TWICE@example.org", by=cast.professor)
    assert "already has an invitation" in error.message
    invitations.revoke(first, cast.professor)
    assert invite(offering, "twice@example.org", by=cast.professor) != first


def test_terms_outside_the_limits_are_refused(cast, offering):
    assert "90" in refused(InvitationRefused, invite, offering, by=cast.professor, days=91).message
    refused(InvitationRefused, invite, offering, by=cast.professor, days=0)
    refused(InvitationRefused, invite, offering, by=cast.professor, max_uses=0)


# The link ------------------------------------------------------------------------------------


def test_a_tampered_or_foreign_token_is_forged(cast, offering):
    invitation = invite(offering, by=cast.professor)
    token = invitations.token_for(invitation)
    other = invite(offering, "other@example.org", by=cast.professor)
    pk, signature = token.split(":")
    tampered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        f"{other.pk}:{signature}",  # another invitation's id under this one's signature
        f"{pk}",
        "nonsense",
        "",
        f"999999:{signature}",
    ]
    for forged in tampered:
        with pytest.raises(invitations.InvitationInvalid) as caught:
            invitations.read(forged)
        assert caught.value.reason == "forged"
    # A new key (as if the secret leaked and was replaced) invalidates the old link.
    Invitation.objects.filter(pk=invitation.pk).update(key="another-secret-key")
    with pytest.raises(invitations.InvitationInvalid) as caught:
        invitations.read(token)
    assert caught.value.reason == "forged"
    refused(invitations.InvitationInvalid, invitations.accept, token, cast.student)


def test_an_expired_invitation_cannot_be_accepted(cast, offering):
    invitation = invite(offering, by=cast.professor, days=1)
    token = invitations.token_for(invitation)
    later = timezone.now() + timedelta(days=1, seconds=1)
    error = refused(invitations.InvitationInvalid, invitations.accept, token, AnonymousUser(), now=later)
    assert error.reason == "expired" and "expired on" in error.message
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert refused(invitations.InvitationInvalid, invitations.read, token).reason == "expired"


def test_a_revoked_invitation_cannot_be_accepted(cast, offering):
    invitation = invite(offering, by=cast.professor)
    refused(PermissionDenied, invitations.revoke, invitation, cast.coordinator_b)
    refused(PermissionDenied, invitations.revoke, invitation, cast.student)
    invitations.revoke(invitation, cast.coordinator_a)
    invitation.refresh_from_db()
    assert invitation.revoked_by == cast.coordinator_a and invitations.status_of(invitation) == "revoked"
    assert "already revoked" in refused(InvitationRefused, invitations.revoke, invitation, cast.professor).message
    error = refused(invitations.InvitationInvalid, invitations.accept, invitations.token_for(invitation), cast.student)
    assert error.reason == "revoked" and "withdrawn" in error.message


def test_an_invitation_is_used_at_most_max_uses_times(cast, offering):
    invitation = invite(offering, by=cast.professor, max_uses=2)
    token = invitations.token_for(invitation)
    first, second, third = make_user(), make_user(), make_user()
    assert not invitations.accept(token, first).already
    again = invitations.accept(token, first)  # the same person twice: harmless, no use spent
    assert again.already and again.message == "You have already accepted this invitation."
    invitation.refresh_from_db()
    assert (invitation.use_count, invitations.status_of(invitation)) == (1, "accepted")
    invitations.accept(token, second)
    invitation.refresh_from_db()
    assert (invitation.use_count, invitations.status_of(invitation)) == (2, "used-up")
    assert refused(invitations.InvitationInvalid, invitations.accept, token, third).reason == "used-up"
    assert invitations.accept(token, second).already  # who accepted may still come back
    assert set(offering.enrolments.filter(role=Role.STUDENT).values_list("user", flat=True)) == {first.pk, second.pk}


def test_a_shared_link_opens_no_account_and_each_person_accepts_as_themselves(cast, offering):
    # The address is that of a lightweight account a single-use link would open.
    invitation = invite(offering, cast.external.email, by=cast.professor, max_uses=3)
    token = invitations.token_for(invitation)
    error = refused(invitations.SignInRequired, invitations.accept, token, AnonymousUser())
    assert (error.reason, error.account) == (invitations.SignInRequired.SHARED, None)
    first, second = make_user(), make_user()
    assert invitations.accept(token, first).person == first
    result = invitations.accept(token, second)
    assert result.person == second and not result.sign_in
    invitation.refresh_from_db()
    assert invitation.use_count == 2
    assert not Enrolment.objects.filter(user=cast.external).exists()
    assert not EmailAddress.objects.get(email=cast.external.email).verified  # it proved no address


def test_a_used_single_invitation_reads_as_accepted(cast, offering):
    invitation = invite(offering, by=cast.professor)
    invitations.accept(invitations.token_for(invitation), make_user())
    invitation.refresh_from_db()
    assert invitations.status_of(invitation) == "accepted"
    with pytest.raises(invitations.InvitationInvalid) as caught:
        invitations.read(invitations.token_for(invitation))
    assert caught.value.reason == "used-up"


# Who accepts ---------------------------------------------------------------------------------


def test_someone_new_gets_a_lightweight_account_signed_in_by_the_link(cast, offering):
    invitation = invite(offering, "New.Person@Example.org", by=cast.professor, name="Giorgi Beridze",
                        institution=cast.ministry)
    with translation.override("uk"):
        result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    person = result.person
    assert result.sign_in and not result.already
    assert (person.email, person.has_usable_password()) == ("new.person@example.org", False)
    assert (person.profile.display_name, person.profile.institution, person.profile.preferred_language) == (
        "Giorgi Beridze", cast.ministry, "uk"
    )
    assert EmailAddress.objects.get(user=person).verified  # the mailed link reached the address
    assert InvitationAcceptance.objects.get(invitation=invitation).person == person
    assert Enrolment.objects.get(user=person, offering=offering).status == "active"
    assert result.landing_url == f"/uk/offerings/{offering.slug}/"  # in the language the link was opened in


def test_the_account_that_owns_the_address_accepts_whatever_its_case(cast, offering):
    existing = cast.external  # a lightweight account: no password
    invitation = invite(offering, existing.email.upper(), by=cast.professor)
    users = get_user_model().objects.count()
    result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    assert result.person == existing and result.sign_in
    assert get_user_model().objects.count() == users  # no second person for the same address
    assert Enrolment.objects.filter(user=existing, offering=offering, status="active").exists()


def test_an_account_with_a_password_signs_in_first(cast, offering):
    invitation = invite(offering, cast.student.email, by=cast.professor)
    token = invitations.token_for(invitation)
    error = refused(invitations.SignInRequired, invitations.accept, token, AnonymousUser())
    assert error.account == cast.student
    result = invitations.accept(token, cast.student)
    assert result.person == cast.student and not result.sign_in


def test_a_staff_account_without_a_password_is_never_opened_by_a_link(cast, offering):
    staff = make_person(email="staff@example.org", display_name="Staff")
    staff.set_unusable_password()
    staff.is_staff = True
    staff.save()
    invitation = invite(offering, staff.email, by=cast.professor)
    refused(invitations.SignInRequired, invitations.accept, invitations.token_for(invitation), AnonymousUser())


def test_a_signed_in_person_with_another_address_may_accept_and_it_shows(cast, offering):
    invitation = invite(offering, "work.address@example.org", by=cast.professor)
    result = invitations.accept(invitations.token_for(invitation), cast.student)
    assert result.person == cast.student
    assert InvitationAcceptance.objects.get(invitation=invitation).person.email != invitation.email
    assert not get_user_model().objects.filter(email="work.address@example.org").exists()


def test_a_privileged_role_is_only_for_the_invited_address(cast, offering):
    invitation = invite(offering, "new.professor@example.org", by=cast.professor, role=Role.PROFESSOR)
    token = invitations.token_for(invitation)
    error = refused(InvitationRefused, invitations.accept, token, cast.student)
    assert "only that person" in error.message
    owner = make_person(email="new.professor@example.org")
    assert invitations.accept(token, owner).person == owner
    assert Enrolment.objects.get(user=owner, offering=offering).role == Role.PROFESSOR


def test_a_verified_second_address_counts_as_the_persons_own(cast, offering):
    EmailAddress.objects.create(user=cast.student, email="second@example.org", verified=True, primary=False)
    invitation = invite(offering, "second@example.org", by=cast.professor, role=Role.TEACHING_ASSISTANT)
    assert invitations.accept(invitations.token_for(invitation), cast.student).person == cast.student


def test_an_address_added_to_an_account_without_confirming_it_opens_nothing(cast, offering):
    # The external attendee typed someone else's address on their email settings page: unverified.
    EmailAddress.objects.create(user=cast.external, email="victim@example.org", verified=False, primary=False)
    invitation = invite(cast.a, "Victim@Example.org", by=cast.coordinator_a, role=Membership.Role.COORDINATOR)
    token = invitations.token_for(invitation)
    error = refused(invitations.SignInRequired, invitations.accept, token, AnonymousUser())
    assert (error.reason, error.account) == (invitations.SignInRequired.UNCONFIRMED, None)
    assert not EmailAddress.objects.get(email="victim@example.org").verified
    # Signed in, the attendee does not own it either: only the invited address takes the role.
    refused(InvitationRefused, invitations.accept, token, cast.external)
    assert not Membership.objects.filter(person=cast.external, institution=cast.a).exists()


def test_an_accepted_link_verifies_only_the_accounts_own_address(cast, offering):
    # A lightweight account whose own address is the invited one, with another one it only added.
    EmailAddress.objects.create(user=cast.external, email="added@example.org", verified=False, primary=False)
    invitation = invite(offering, cast.external.email, by=cast.professor)
    result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    assert result.person == cast.external and result.sign_in
    assert EmailAddress.objects.get(email=cast.external.email).verified
    assert not EmailAddress.objects.get(email="added@example.org").verified


def test_an_address_another_account_verified_is_that_accounts_own(cast, offering):
    # A lightweight account was made for the address, then someone else confirmed it as theirs.
    EmailAddress.objects.create(user=cast.student, email=cast.external.email, verified=True, primary=False)
    assert not invitations.owns_address(cast.external, cast.external.email)
    assert invitations.owns_address(cast.student, cast.external.email.upper())
    invitation = invite(offering, cast.external.email, by=cast.professor)
    error = refused(invitations.SignInRequired, invitations.accept, invitations.token_for(invitation),
                    AnonymousUser())
    assert error.account == cast.student


def test_an_inactive_account_cannot_accept(cast, offering):
    closed = make_person(email="closed@example.org")
    closed.set_unusable_password()
    closed.is_active = False
    closed.save()
    invitation = invite(offering, closed.email, by=cast.professor)
    refused(invitations.SignInRequired, invitations.accept, invitations.token_for(invitation), AnonymousUser())


# Institutions --------------------------------------------------------------------------------


def test_an_institution_invitation_makes_a_member_and_lands_on_its_page(cast):
    invitation = invite(cast.a, "lecturer@example.org", by=cast.coordinator_a, role=Membership.Role.PROFESSOR)
    refused(PermissionDenied, invite, cast.a, "x@example.org", by=cast.coordinator_b)
    refused(PermissionDenied, invite, cast.a, "x@example.org", by=cast.professor)
    result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    assert Membership.objects.filter(person=result.person, institution=cast.a, role="professor").exists()
    assert result.landing_url == cast.pages.a.url
    assert "University A" in result.message


def test_an_institution_invitation_is_for_the_invited_address_only(cast):
    invitation = invite(cast.a, "member@example.org", by=cast.coordinator_a, role=Membership.Role.STUDENT)
    refused(InvitationRefused, invitations.accept, invitations.token_for(invitation), cast.student)


# Races ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_a_single_use_invitation_do_not_both_get_it(site_tree):
    from tests.cast import make_cast

    cast = make_cast(site_tree)
    offering = make_invitation_only_offering(site_tree, cast.a)
    make_enrolment(offering, user=cast.professor, role=Role.PROFESSOR)
    token = invitations.token_for(invite(offering, by=cast.professor))
    people = [make_user(), make_user()]
    outcomes, barrier = [], threading.Barrier(2)

    def attempt(person):
        barrier.wait()
        try:
            invitations.accept(token, person)
            outcomes.append("accepted")
        except invitations.InvitationInvalid as refusal:
            outcomes.append(refusal.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "used-up"]
    assert InvitationAcceptance.objects.count() == 1
    assert Invitation.objects.get().use_count == 1
    assert offering.enrolments.filter(role=Role.STUDENT).count() == 1
