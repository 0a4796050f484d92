"""Participation reports: counts by country, institution or kind and by period, the CSV export
(a byte order mark, cells a spreadsheet never evaluates), who may read them, and a flat budget."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from network import participation
from network.models import Institution, Invitation, InvitationAcceptance
from network.participation import ReportRequest
from tests.cast import ROLES
from tests.factories import make_institution, make_person

pytestmark = pytest.mark.django_db


def accepted(person, when, institution=None):
    invitation = Invitation.objects.create(
        target_type=ContentType.objects.get_for_model(Institution), target_id=1, email=person.email,
        institution=institution, expires_at=when + timedelta(days=30), use_count=1,
    )
    return InvitationAcceptance.objects.create(invitation=invitation, person=person, accepted_at=when)


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 12))


@pytest.fixture
def people():
    kyiv = make_institution(name="Kyiv University", country="UA")
    customs = make_institution(name="=HYPERLINK(\"http://evil\")", country="UA", kind=Institution.Kind.CUSTOMS)
    chisinau = make_institution(name="Chisinau University", country="MD")
    for when in (at(2025, 1), at(2025, 2), at(2025, 5)):
        accepted(make_person(institution=kyiv), when)
    accepted(make_person(institution=customs), at(2025, 2))
    accepted(make_person(institution=chisinau), at(2025, 11))
    accepted(make_person(), at(2025, 3))  # named no institution
    return {"kyiv": kyiv, "customs": customs, "chisinau": chisinau}


def test_counts_by_country_and_quarter(people):
    lines, activities = participation.report(ReportRequest(group="country", granularity="quarter"))

    assert [source.activity for source in activities][-1] == "invitation"
    assert [(line.period, line.label, line.counts["invitation"]) for line in lines] == [
        ("Q1 2025", "Ukraine", 3),
        ("Q1 2025", "Institution not given", 1),
        ("Q2 2025", "Ukraine", 1),
        ("Q4 2025", "Moldova", 1),
    ]


def test_counts_by_institution_and_month_with_filters(people):
    lines, _ = participation.report(ReportRequest(group="institution", granularity="month", countries=("UA",)))

    assert [(line.period, line.label, line.kind, line.counts["invitation"]) for line in lines] == [
        ("January 2025", "Kyiv University", "university", 1),
        ("February 2025", "=HYPERLINK(\"http://evil\")", "customs", 1),
        ("February 2025", "Kyiv University", "university", 1),
        ("May 2025", "Kyiv University", "university", 1),
    ]


def test_counts_by_kind_and_year_within_a_period(people):
    period = participation.Period(at(2025, 2, 1).date(), at(2025, 12, 31).date())
    lines, _ = participation.report(ReportRequest(group="kind", granularity="year", period=period))

    assert [(line.period, line.label, line.total) for line in lines] == [
        ("2025", "Government: customs", 1),
        ("2025", "University", 3),
        ("2025", "Institution not given", 1),
    ]


def test_the_csv_has_a_bom_and_never_a_formula(client, people, cast):
    client.force_login(cast.superuser)

    response = client.get(reverse("ecosystem:reports_csv"), {"group": "institution", "granularity": "year"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffPeriod,")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Period", "Period start", "Institution", "Country", "Stakeholder kind"]
    assert rows[0][-1] == "Total"
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["'=HYPERLINK(\"http://evil\")"][3:5] == ["Ukraine", "Government: customs"]
    assert by_name["Kyiv University"][1] == "2025-01-01" and by_name["Kyiv University"][-1] == "3"


def test_bad_report_choices_get_a_message_and_the_default_report(client, people, cast):
    client.force_login(cast.coordinator_a)

    page = client.get(reverse("ecosystem:reports"), {"group": "people", "start": "soon"}).content.decode()
    assert "Some choices were not understood" in page and "Enter the start date as YYYY-MM-DD." in page
    assert "Ukraine" in page

    response = client.get(reverse("ecosystem:reports_csv"), {"group": "people"})
    assert response.status_code == 400


# Reports are counts over institutions, never people: every coordinator (of any institution) and
# superusers read them all; the others are refused, anonymous visitors sent to sign in.
REPORT_OUTCOMES = {
    "anonymous": 302, "student": 403, "external": 403, "professor": 403,
    "coordinator_a": 200, "coordinator_b": 200, "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", ["ecosystem:reports", "ecosystem:reports_csv"])
def test_who_may_read_the_reports(client, cast, role, url_name):
    status = REPORT_OUTCOMES[role]
    person = cast.people[role]
    if person.is_authenticated:
        client.force_login(person)

    response = client.get(reverse(url_name))

    assert response.status_code == status
    if status == 302:
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_see_the_map_but_only_readers_of_reports_get_the_link(client, cast, role):
    person = cast.people[role]
    if person.is_authenticated:
        client.force_login(person)

    page = client.get(reverse("ecosystem:map")).content.decode()

    assert (reverse("ecosystem:reports") in page) == (role in ("coordinator_a", "coordinator_b", "superuser"))
    assert participation.may_see(person) == (role in ("coordinator_a", "coordinator_b", "superuser"))


REPORT_BUDGET = 12


def grow(size):
    """``size`` more people from institutions in three countries, each accepted in a month of 2025."""
    for n in range(size):
        institution = make_institution(country=["UA", "MD", "AZ"][n % 3])
        accepted(make_person(institution=institution), at(2025, 1 + n % 12))


def test_the_report_page_budget_is_flat(client, cast, django_assert_max_num_queries):
    client.force_login(cast.coordinator_a)
    pages = []
    for size in (3, 27):
        grow(size)
        with django_assert_max_num_queries(REPORT_BUDGET):
            response = client.get(reverse("ecosystem:reports"), {"group": "institution", "granularity": "month"})
        pages.append(response.content.decode())
    assert pages[1].count('class="report-line"') > pages[0].count('class="report-line"') > 0


def test_the_report_csv_budget_is_flat(client, cast, django_assert_max_num_queries):
    client.force_login(cast.coordinator_a)
    lines = []
    for size in (3, 27):
        grow(size)
        with django_assert_max_num_queries(REPORT_BUDGET):
            response = client.get(reverse("ecosystem:reports_csv"), {"group": "institution", "granularity": "month"})
            body = b"".join(response.streaming_content)
        assert response.status_code == 200
        lines.append(len(body.decode("utf-8-sig").splitlines()))
    assert lines[1] > lines[0] > 1


def test_institutions_are_named_in_the_readers_language(people, site_tree):
    from django.utils import translation

    from tests.factories import make_institution_page, sync_language_trees, translate_page

    page = make_institution_page(site_tree, people["kyiv"])
    sync_language_trees("uk")
    translate_page(page, "uk", title="Київський університет")
    wanted = ReportRequest(group="institution", granularity="year", countries=("UA",))
    with translation.override("uk"):
        labels = {line.label for line in participation.report(wanted)[0]}
    assert "Київський університет" in labels and "Kyiv University" not in labels
    assert "Kyiv University" in {line.label for line in participation.report(wanted)[0]}
