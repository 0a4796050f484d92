"""The demo seminar series loads under the home page, in every synchronised language tree, with its
registrations and presentations; loading it again adds nothing."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management.base import OutputWrapper
from wagtail.models import Page
from wagtail_localize.models import LocaleSynchronization

import network.demo
from lessons import seminar_demo
from lessons.seminar_models import SeminarPresentation, SeminarRegistration, SeminarSeriesPage, SeminarSessionPage
from network.demo_kit import DemoContext
from tests.factories import make_user

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = ("professor", "student", "demo-student-gelashvili", "demo-student-mammadova",
                 "demo-student-hovhannisyan")


@pytest.fixture
def ctx(site_tree):
    context = DemoContext(stdout=OutputWrapper(StringIO()), locales=site_tree.locales, home=site_tree.home)
    network.demo.load(context)
    for username in DEMO_ACCOUNTS:
        make_user(username=username)
    for code in ("uk", "ka"):
        LocaleSynchronization.objects.create(locale=site_tree.locales[code], sync_from=site_tree.locales["en"])
    context.created.clear()
    return context


def counts():
    return (Page.objects.count(), SeminarRegistration.objects.count(), SeminarPresentation.objects.count())


def test_the_demo_series_loads_once_and_only_once(ctx):
    seminar_demo.load(ctx)
    assert ctx.warnings == [] and mail.outbox == []
    series = SeminarSeriesPage.objects.get(locale=ctx.source_locale)
    assert series.title == "Responsible science in dual-use research" and series.get_parent().pk == ctx.home.pk
    assert series.get_latest_revision_as_object().convenor_links.count() == 2
    sessions = list(SeminarSessionPage.objects.child_of(series).order_by("starts_at"))
    assert len(sessions) == 5 and sessions[-1].is_participant_session
    assert [session.starts_at.astimezone(session.zone).hour for session in sessions] == [18] * 5
    for code in ("uk", "ka"):
        alias = SeminarSeriesPage.objects.get(locale=ctx.locales[code])
        assert alias.alias_of_id == series.pk and SeminarSessionPage.objects.child_of(alias).count() == 5
    registrations = SeminarRegistration.objects.filter(series=series)
    assert registrations.count() == 7 and set(registrations.values_list("status", flat=True)) == {"registered"}
    externals = registrations.filter(route="form")
    assert externals.count() == 3 and not any(r.user.has_usable_password() for r in externals)
    accepted = SeminarPresentation.objects.get(status="accepted")
    assert accepted.session == sessions[-1] and accepted.decided_by is not None

    before, created = counts(), dict(ctx.created)
    ctx.created.clear()
    seminar_demo.load(ctx)
    assert counts() == before and not ctx.created
    assert created["seminar pages"] == 6 and created["seminar registrations"] == 7
