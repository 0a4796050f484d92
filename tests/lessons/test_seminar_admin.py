"""Editors write seminar pages in the Wagtail admin: the host's wall-clock time becomes the stored
instant, and a time the host's clocks skip is refused with a message."""

from datetime import date, time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from lessons.seminar_models import SeminarSessionPage
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-long-12345"))
    return client


def session_form(**fields):
    return nested_form_data({
        "title": "Export controls for researchers", "slug": "export-controls-for-researchers",
        "summary": "", "audience": "", "date": "2026-10-20", "start_time": "18:00", "time_zone": "Asia/Tbilisi",
        "duration_minutes": "90", "speakers": streamfield([
            ("speaker", {"name": "Dr Vahe Sargsyan", "affiliation": "Aragats Institute", "bio": ""}),
        ]),
        "materials": streamfield([]), "meeting_url": "", "recording_url": "", "comments": inline_formset([]),
        **fields,
    })


def test_the_series_and_session_editors_open(admin_client, site_tree):
    built = make_series(site_tree)
    for page in (built.series, built.sessions[0]):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
    assert b"convenor_links-TOTAL_FORMS" in admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[built.series.pk])
    ).content


def test_an_editor_adds_a_session_in_the_hosts_time(admin_client, site_tree):
    built = make_series(site_tree, sessions=0)
    add = reverse("wagtailadmin_pages:add", args=["lessons", "seminarsessionpage", built.series.pk])
    response = admin_client.post(add, {**session_form(), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    session = SeminarSessionPage.objects.get(slug="export-controls-for-researchers")
    local = session.starts_at.astimezone(session.zone)
    assert (local.date(), local.time(), session.starts_at.utcoffset().total_seconds()) == (
        date(2026, 10, 20), time(18, 0), 0
    )
    assert session.speakers[0].value["name"] == "Dr Vahe Sargsyan"


def test_a_time_the_host_clocks_skip_is_refused_in_the_editor(admin_client, site_tree):
    built = make_series(site_tree, sessions=0)
    add = reverse("wagtailadmin_pages:add", args=["lessons", "seminarsessionpage", built.series.pk])
    form = session_form(date="2026-03-29", start_time="03:30", time_zone="Europe/Kyiv")
    response = admin_client.post(add, {**form, "action-publish": "publish"})
    assert response.status_code == 200 and "the clocks change then" in response.content.decode()
    assert not SeminarSessionPage.objects.exists()
