"""What lessons adds to the ecosystem: seminar participants link the series' institution to their
own; attending a session counts as participation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.seminar_models import SeminarAttendance, SeminarRegistration
from network import ecosystem, participation
from network.ecosystem import Filters, Period
from tests.factories import make_institution, make_person
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db


def register(series, person, status=SeminarRegistration.Status.REGISTERED, queued_at=None):
    return SeminarRegistration.objects.create(
        series=series, user=person, status=status, queued_at=queued_at or timezone.now()
    )


def test_seminar_participants_link_the_series_institution_to_theirs_one_per_person(site_tree):
    convening, home = make_institution(), make_institution(country="KG")
    series = make_series(site_tree, institution=convening).series
    register(series, make_person(institution=home))
    register(series, make_person(institution=home))
    register(series, make_person(institution=home), status=SeminarRegistration.Status.WAITING)
    register(series, make_person(institution=home), status=SeminarRegistration.Status.CANCELLED)
    register(series, make_person(institution=convening))  # the convening institution's own: no link
    register(series, make_person(institution=home), queued_at=timezone.now() - timedelta(days=200))

    pair = tuple(sorted((convening.pk, home.pk)))
    graph = ecosystem.build()
    assert graph.edges[pair] == {"seminar": 3}
    recent = Filters(period=Period(timezone.localdate() - timedelta(days=30), None))
    assert ecosystem.build(recent).edges[pair] == {"seminar": 2}


def test_attending_a_session_counts_as_participation(site_tree):
    home = make_institution(name="Bishkek University", country="KG")
    built = make_series(site_tree)
    person = make_person(institution=home)
    registration = register(built.series, person)
    for session in built.sessions[:2]:
        SeminarAttendance.objects.create(registration=registration, session=session)
    register(built.series, make_person(institution=home))  # registered, never attended

    lines, _activities = participation.report(participation.ReportRequest(group="institution", granularity="year"))

    # Counted once however many sessions (the two may fall in two years: then once in each).
    assert {line.label for line in lines} == {"Bishkek University"}
    assert all(line.counts == {"seminar": 1} for line in lines)
