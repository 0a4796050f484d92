"""Invitations to an offering: who may invite, and what accepting does — an active enrolment in the
invited role, even where the offering takes nobody else (invitation only, extra-mural), within the
offering's seats and dates; the invitee then sees the live session links like any participant."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from course.enrolment import EnrolmentRefused, admit_invited
from course.models import Enrolment, Offering
from lessons.live import may_see_link
from network import invitations
from network.invitation_targets import InvitationRefused, for_kind
from tests.cast import ROLES
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_session, make_user
from tests.network.test_invitations import invite, make_invitation_only_offering

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status
MAY_INVITE = {"professor", "coordinator_a", "superuser"}


@pytest.fixture
def offering(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, cohort="Kyiv spring cohort")
    make_enrolment(offering, user=cast.professor, role=Role.PROFESSOR)
    return offering


def snapshot():
    return sorted(Enrolment.objects.values_list("user_id", "offering_id", "role", "status"))


@pytest.mark.parametrize("role", ROLES)
def test_professors_and_the_hosts_coordinators_may_invite(cast, offering, role):
    assert for_kind("offering").may_invite(cast.people[role], offering) is (role in MAY_INVITE)


def test_an_invitation_only_offering_takes_the_invited_person_at_once(cast, offering):
    person = make_user()
    enrolment, changed = admit_invited(person, offering, Role.STUDENT)
    assert changed and (enrolment.role, enrolment.status) == (Role.STUDENT, Status.ACTIVE)
    with pytest.raises(EnrolmentRefused):
        from course.enrolment import enrol

        enrol(make_user(), offering)  # everyone else is still refused


def test_an_extramural_offering_takes_an_invited_official_from_anywhere(cast, site_tree):
    course = make_course(site_tree, modules=0).course
    offering = make_offering(course, host=cast.a, mode=Offering.Mode.EXTRAMURAL)
    enrolment, _changed = admit_invited(cast.external, offering, Role.OBSERVER)
    assert (enrolment.role, enrolment.status) == (Role.OBSERVER, Status.ACTIVE)


def test_a_student_needs_a_seat_but_teachers_and_observers_do_not(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, capacity=1)
    make_enrolment(offering)
    before = snapshot()
    with pytest.raises(EnrolmentRefused) as caught:
        admit_invited(make_user(), offering, Role.STUDENT)
    assert "full" in str(caught.value.message) and snapshot() == before
    assert admit_invited(make_user(), offering, Role.OBSERVER)[0].status == Status.ACTIVE
    assert admit_invited(make_user(), offering, Role.TEACHING_ASSISTANT)[0].status == Status.ACTIVE


def test_a_pending_request_keeps_its_seat_and_becomes_active(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, capacity=1)
    pending = make_enrolment(offering, status=Status.PENDING)
    enrolment, changed = admit_invited(pending.user, offering, Role.STUDENT)
    assert changed and enrolment.pk == pending.pk and enrolment.status == Status.ACTIVE


def test_someone_who_left_comes_back_in_the_invited_role(offering):
    withdrawn = make_enrolment(offering, status=Status.WITHDRAWN)
    enrolment, changed = admit_invited(withdrawn.user, offering, Role.TEACHING_ASSISTANT)
    assert changed and (enrolment.role, enrolment.status) == (Role.TEACHING_ASSISTANT, Status.ACTIVE)


def test_someone_already_taking_part_keeps_their_place(offering):
    completed = make_enrolment(offering, status=Status.COMPLETED)
    assert admit_invited(completed.user, offering, Role.PROFESSOR) == (completed, False)
    completed.refresh_from_db()
    assert (completed.role, completed.status) == (Role.STUDENT, Status.COMPLETED)


def test_an_ended_offering_takes_nobody(cast, site_tree):
    today = timezone.localdate()
    offering = make_invitation_only_offering(
        site_tree, cast.a, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=2)
    )
    invitation = invite(offering, by=cast.superuser)
    before = snapshot()
    with pytest.raises(InvitationRefused) as caught:
        invitations.accept(invitations.token_for(invitation), AnonymousUser())
    assert "ended" in caught.value.message and snapshot() == before
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_accepting_twice_says_so(cast, offering):
    invitation = invite(offering, cast.student.email, by=cast.professor)
    token = invitations.token_for(invitation)
    first = invitations.accept(token, cast.student)
    assert first.message == "Welcome! You are enrolled in Export controls · Kyiv spring cohort as Student."
    assert invitations.accept(token, cast.student).already


def test_an_invited_person_already_enrolled_is_told_so(cast, offering):
    make_enrolment(offering, user=cast.student)
    invitation = invite(offering, cast.student.email, by=cast.professor, role=Role.OBSERVER)
    result = invitations.accept(invitations.token_for(invitation), cast.student)
    assert result.message == "You already take part in Export controls · Kyiv spring cohort, as Student."


def test_the_invitee_sees_the_live_session_link(cast, offering):
    session = make_session(offering, starts_in=timedelta(minutes=5))
    invitation = invite(offering, "official@example.org", by=cast.professor, role=Role.OBSERVER)
    result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    assert may_see_link(result.person, session)
    assert not may_see_link(make_user(), session)


def test_the_landing_page_is_the_offering_page(cast, offering):
    assert for_kind("offering").landing_url(offering) == f"/en/offerings/{offering.slug}/"


def test_a_coordinator_of_another_host_may_not_invite(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, make_institution())
    assert not for_kind("offering").may_invite(cast.coordinator_a, offering)
