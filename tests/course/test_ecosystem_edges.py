"""What course adds to the ecosystem: adoptions, shared offerings and students from other
institutions as links, each in its period; enrolled students as participation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from course.adoption_models import Adoption
from course.models import Enrolment
from network import ecosystem, participation
from network.ecosystem import Filters, Period
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person

pytestmark = pytest.mark.django_db


def pair(a, b):
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def relation(graph, name):
    return {key: breakdown[name] for key, breakdown in graph.edges.items() if name in breakdown}


def test_an_adoption_links_the_adopter_and_the_owner_of_the_master_course(site_tree):
    owner, adopter, other = make_institution(), make_institution(country="KZ"), make_institution()
    course = make_course(site_tree, modules=1, lectures_per_module=1, owning_institution=owner).course
    Adoption.objects.create(source=course, institution=adopter)
    Adoption.objects.create(source=course, institution=other, created_at=timezone.now() - timedelta(days=500))

    assert relation(ecosystem.build(), "adoption") == {pair(owner, adopter): 1, pair(owner, other): 1}
    recent = Filters(period=Period(timezone.localdate() - timedelta(days=30), None))
    assert relation(ecosystem.build(recent), "adoption") == {pair(owner, adopter): 1}


def test_a_shared_offering_links_its_host_to_each_partner(site_tree):
    host, first, second = make_institution(), make_institution(), make_institution()
    course = make_course(site_tree, modules=1, lectures_per_module=1).course
    make_offering(course, host=host, partners=[first, second], starts_on=date(2025, 2, 1), ends_on=date(2025, 6, 30))
    make_offering(course, host=host, partners=[first], starts_on=date(2025, 9, 1), ends_on=date(2025, 12, 31))

    assert relation(ecosystem.build(), "shared-offering") == {pair(host, first): 2, pair(host, second): 1}
    spring = Filters(period=Period(date(2025, 3, 1), date(2025, 4, 1)))
    assert relation(ecosystem.build(spring), "shared-offering") == {pair(host, first): 1, pair(host, second): 1}


def test_a_partner_added_to_an_offering_shows_on_the_cached_map_at_once(site_tree):
    host, partner = make_institution(), make_institution()
    course = make_course(site_tree, modules=1, lectures_per_module=1).course
    offering = make_offering(course, host=host, starts_on=date(2025, 2, 1), ends_on=date(2025, 6, 30))
    assert relation(ecosystem.snapshot()["graph"], "shared-offering") == {}

    offering.partners.add(partner)
    assert relation(ecosystem.snapshot()["graph"], "shared-offering") == {pair(host, partner): 1}
    offering.partners.clear()
    assert relation(ecosystem.snapshot()["graph"], "shared-offering") == {}


def test_students_from_other_institutions_link_the_host_to_their_home_one_per_student(site_tree):
    host, visiting = make_institution(), make_institution(country="AM")
    offering = make_offering(make_course(site_tree, modules=1, lectures_per_module=1).course, host=host)
    for _ in range(3):
        make_enrolment(offering, user=make_person(institution=visiting))
    make_enrolment(offering, user=make_person(institution=host))  # a local student: no link
    make_enrolment(offering, user=make_person())  # no institution given: no link
    make_enrolment(offering, user=make_person(institution=visiting), status=Enrolment.Status.WITHDRAWN)
    make_enrolment(offering, user=make_person(institution=visiting), role=Enrolment.Role.PROFESSOR)

    assert relation(ecosystem.build(), "extra-mural") == {pair(host, visiting): 3}


def test_enrolled_students_count_as_participation_at_their_home_institution(site_tree):
    host, visiting = make_institution(country="UA"), make_institution(country="AM")
    offering = make_offering(make_course(site_tree, modules=1, lectures_per_module=1).course, host=host)
    for institution in (visiting, visiting, host):
        make_enrolment(offering, user=make_person(institution=institution))

    lines, _activities = participation.report(participation.ReportRequest(group="country", granularity="year"))

    counts = {line.country: line.counts for line in lines}
    assert counts == {"AM": {"enrolled": 2}, "UA": {"enrolled": 1}}
