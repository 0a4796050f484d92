"""The rules for joining and leaving an offering: what is allowed, and that a refusal changes nothing."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from course.enrolment import EnrolmentRefused, approve, enrol, is_staff_of, seats_left, withdraw
from course.models import Enrolment, Offering
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_user

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status


@pytest.fixture
def course(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=1).course


def snapshot():
    return sorted(Enrolment.objects.values_list("user_id", "offering_id", "role", "status"))


def refused(call, *args, **kwargs):
    before = snapshot()
    with pytest.raises(EnrolmentRefused) as caught:
        call(*args, **kwargs)
    assert snapshot() == before
    return str(caught.value.message)


def test_open_offering_enrols_at_once(course):
    enrolment = enrol(make_user(), make_offering(course))
    assert (enrolment.role, enrolment.status) == (Role.STUDENT, Status.ACTIVE)


def test_approval_offering_makes_a_pending_request(course):
    enrolment = enrol(make_user(), make_offering(course, enrolment_policy=Offering.Policy.APPROVAL))
    assert enrolment.status == Status.PENDING


def test_invitation_offering_refuses_a_request(course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.INVITATION)
    assert "invitation" in refused(enrol, make_user(), offering)


def test_full_offering_refuses_and_pending_requests_hold_seats(course):
    offering = make_offering(course, capacity=2, enrolment_policy=Offering.Policy.APPROVAL)
    make_enrolment(offering, status=Status.ACTIVE)
    make_enrolment(offering, status=Status.PENDING)
    make_enrolment(offering, status=Status.WITHDRAWN)  # gave the seat back
    make_enrolment(offering, role=Role.PROFESSOR)  # staff do not take students' seats
    assert seats_left(offering) == 0
    assert "full" in refused(enrol, make_user(), offering)


def test_last_seat_goes_to_one_student(course):
    offering = make_offering(course, capacity=1)
    enrol(make_user(), offering)
    assert "full" in refused(enrol, make_user(), offering)
    assert seats_left(offering) == 0


def test_closed_offering_refuses(course):
    today = timezone.now().date()
    offering = make_offering(course, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=2))
    assert "closed" in refused(enrol, make_user(), offering)


def test_offering_closes_after_its_last_day_in_its_own_time_zone(course):
    offering = make_offering(course, ends_on=timezone.now().date())
    assert not offering.is_closed()


def test_duplicate_enrolment_is_refused_and_changes_nothing(course):
    user, offering = make_user(), make_offering(course)
    first = enrol(user, offering)
    assert "already enrolled" in refused(enrol, user, offering)
    first.refresh_from_db()
    assert first.status == Status.ACTIVE


def test_completed_student_cannot_enrol_again(course):
    offering = make_offering(course)
    done = make_enrolment(offering, status=Status.COMPLETED)
    assert "already enrolled" in refused(enrol, done.user, offering)


def test_withdrawn_student_may_ask_again_under_the_same_rules(course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    left = make_enrolment(offering, status=Status.WITHDRAWN)
    again = enrol(left.user, offering)
    assert again.pk == left.pk and again.status == Status.PENDING
    assert Enrolment.objects.filter(user=left.user).count() == 1


def test_withdrawn_student_cannot_take_a_seat_of_a_full_offering(course):
    offering = make_offering(course, capacity=1)
    left = make_enrolment(offering, status=Status.WITHDRAWN)
    make_enrolment(offering)
    assert "full" in refused(enrol, left.user, offering)


def test_extramural_offering_admits_host_and_partner_students_only(course):
    host, partner, stranger = make_institution(), make_institution(), make_institution()
    offering = make_offering(course, host=host, partners=[partner], mode=Offering.Mode.EXTRAMURAL)
    assert enrol(make_user(), offering, institution=host).status == Status.ACTIVE
    assert enrol(make_user(), offering, institution=partner).status == Status.ACTIVE
    message = refused(enrol, make_user(), offering, institution=stranger)
    assert host.name in message and "partner" in message
    # Without a known home institution nobody can show they belong to a partner.
    refused(enrol, make_user(), offering)


def test_intramural_offering_does_not_check_the_institution(course):
    offering = make_offering(course, mode=Offering.Mode.INTRAMURAL)
    assert enrol(make_user(), offering, institution=make_institution()).status == Status.ACTIVE


def test_professor_and_assistant_of_the_offering_approve(course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    assistant = make_enrolment(offering, role=Role.TEACHING_ASSISTANT).user
    for staff in (professor, assistant):
        request = make_enrolment(offering, status=Status.PENDING)
        assert approve(staff, request).status == Status.ACTIVE
        request.refresh_from_db()
        assert request.status == Status.ACTIVE


def test_approving_twice_is_harmless(course):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    request = make_enrolment(offering, status=Status.PENDING)
    approve(professor, request)
    assert "already been decided" in refused(approve, professor, request)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.OBSERVER])
def test_only_staff_of_that_offering_may_approve(course, role):
    offering = make_offering(course, enrolment_policy=Offering.Policy.APPROVAL)
    other = make_offering(course)
    outsider = make_enrolment(offering, role=role).user
    professor_elsewhere = make_enrolment(other, role=Role.PROFESSOR).user
    withdrawn_professor = make_enrolment(offering, role=Role.PROFESSOR, status=Status.WITHDRAWN).user
    request = make_enrolment(offering, status=Status.PENDING)
    for user in (outsider, professor_elsewhere, withdrawn_professor, make_user(), request.user):
        with pytest.raises(PermissionDenied):
            approve(user, request)
    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert not is_staff_of(professor_elsewhere, offering)


def test_student_withdraws_and_cannot_withdraw_twice(course):
    enrolment = make_enrolment(make_offering(course))
    assert withdraw(enrolment.user, enrolment).status == Status.WITHDRAWN
    assert "already withdrawn" in refused(withdraw, enrolment.user, enrolment)


def test_student_may_withdraw_only_themselves(course):
    offering = make_offering(course)
    enrolment, classmate = make_enrolment(offering), make_enrolment(offering)
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    for user in (classmate.user, professor):
        with pytest.raises(PermissionDenied):
            withdraw(user, enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_completed_enrolment_cannot_be_withdrawn(course):
    enrolment = make_enrolment(make_offering(course), status=Status.COMPLETED)
    assert "completed" in refused(withdraw, enrolment.user, enrolment)


def test_offering_validates_time_zone_and_dates(course):
    offering = make_offering(course)
    offering.time_zone = "Europe/Atlantis"
    offering.ends_on = offering.starts_on - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        offering.full_clean()
    assert set(caught.value.message_dict) >= {"time_zone", "ends_on"}


@pytest.mark.django_db(transaction=True)
def test_two_students_racing_for_the_last_seat_do_not_both_get_it(site_tree):
    offering = make_offering(make_course(site_tree, modules=0).course, capacity=1)
    students = [make_user(), make_user()]
    outcomes, barrier = [], threading.Barrier(2)

    def attempt(user):
        barrier.wait()
        try:
            enrol(user, offering)
            outcomes.append("enrolled")
        except EnrolmentRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["enrolled", "refused"]
    assert Enrolment.objects.filter(offering=offering).count() == 1
