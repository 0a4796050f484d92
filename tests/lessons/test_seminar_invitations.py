"""Invitations to a seminar series: its convenors and its institution's coordinators invite people;
accepting registers them through the series' own rules by the invitation route, even when the open
form is off, on the waiting list when the seats are gone, never after registration closed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons.seminar_models import SeminarRegistration
from network import invitations
from network.invitation_targets import InvitationRefused, for_kind
from tests.cast import ROLES
from tests.factories import make_user, translate_page
from tests.lessons.test_seminars import make_series
from tests.network.test_invitations import invite

pytestmark = pytest.mark.django_db

Status, Route = SeminarRegistration.Status, SeminarRegistration.Route
MAY_INVITE = {"coordinator_a", "superuser"}


@pytest.fixture
def built(cast, site_tree):
    return make_series(site_tree, title="Responsible science", institution=cast.a, open_registration=False)


@pytest.mark.parametrize("role", ROLES)
def test_the_convenors_and_the_institutions_coordinators_may_invite(cast, built, role):
    handler = for_kind("seminar-series")
    assert handler.may_invite(cast.people[role], built.series) is (role in MAY_INVITE)
    assert handler.may_invite(built.convenor, built.series)


def test_accepting_registers_by_the_invitation_route_even_when_the_form_is_off(
    django_capture_on_commit_callbacks, cast, built
):
    invitation = invite(built.series, "aigerim@example.org", by=built.convenor, name="Aigerim Sadykova")
    assert invitation.role == "participant"
    with django_capture_on_commit_callbacks(execute=True):
        result = invitations.accept(invitations.token_for(invitation), AnonymousUser())
    registration = SeminarRegistration.objects.get(user=result.person)
    assert (registration.series, registration.status, registration.route, registration.invited_by) == (
        built.series, Status.REGISTERED, Route.INVITATION, built.convenor
    )
    assert result.message.startswith("Welcome! You are registered for this series.")
    assert result.landing_url == built.series.url
    assert [message.to for message in mail.outbox] == [["aigerim@example.org"]]  # the registration's details


def test_a_full_series_puts_the_invitee_on_its_waiting_list(cast, site_tree):
    built = make_series(site_tree, institution=cast.a, capacity=1)
    SeminarRegistration.objects.create(series=built.series, user=make_user(), queued_at=timezone.now())
    invitation = invite(built.series, by=built.convenor)
    result = invitations.accept(invitations.token_for(invitation), make_user())
    assert SeminarRegistration.objects.get(user=result.person).status == Status.WAITING
    assert "waiting list" in result.message


def test_after_registration_closed_the_invitation_is_refused_and_kept(cast, site_tree):
    built = make_series(site_tree, institution=cast.a, registration_closes_at=timezone.now() - timedelta(hours=1))
    invitation = invite(built.series, by=cast.coordinator_a)
    with pytest.raises(InvitationRefused) as caught:
        invitations.accept(invitations.token_for(invitation), make_user())
    assert "closed" in caught.value.message
    invitation.refresh_from_db()
    assert invitation.use_count == 0 and not SeminarRegistration.objects.exists()


def test_someone_already_registered_is_told_so(cast, built):
    person = make_user()
    SeminarRegistration.objects.create(series=built.series, user=person, queued_at=timezone.now())
    invitation = invite(built.series, person.email, by=built.convenor)
    assert invitations.accept(invitations.token_for(invitation), person).message == (
        "You are already registered for this series."
    )


def test_a_translated_copy_of_the_series_stands_for_its_source(cast, built):
    translated = translate_page(built.series, "uk", title="Відповідальна наука")
    handler = for_kind("seminar-series")
    assert handler.get(translated.pk) == built.series
    invitation = invite(handler.get(translated.pk), by=built.convenor)
    assert invitation.target_id == built.series.pk


def test_the_manage_page_links_the_personal_invitations(cast, built):
    client = Client()
    client.force_login(built.convenor)
    html = client.get(reverse("seminars:manage", args=[built.series.pk])).content.decode()
    url = reverse("invitations:list", kwargs={"kind": "seminar-series", "pk": built.series.pk})
    assert url in html
    assert client.get(url).status_code == 200
