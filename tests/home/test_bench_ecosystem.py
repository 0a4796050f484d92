"""`make bench` measures the ecosystem map, its JSON and a participation report on a generated
network (500 institutions and 20,000 people in the real run; a small one here). The goal (under a
second of server time, cold) is printed with the table: timings are the benchmark's business, not
a test's. Here: the generated network has every kind of link, and the rows measure real pages."""

import pytest
from django.test.utils import override_settings

from course.models import Enrolment
from home import bench, bench_ecosystem
from network import ecosystem
from network.models import Institution, Profile
from tests.factories import make_course, make_enrolment, make_offering
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def campus(site_tree):
    built = make_course(site_tree, modules=1, lectures_per_module=1)
    offering = make_offering(built.course)
    make_enrolment(offering, role=Enrolment.Role.PROFESSOR)
    make_enrolment(offering)
    make_series(site_tree)
    return built


def test_the_generated_network_has_the_size_asked_and_every_kind_of_link(campus):
    made = bench_ecosystem.generate(campus.course, institutions=60, people=400)

    assert (made.institutions, made.people) == (60, 400)
    assert (Institution.objects.count(), Profile.objects.count()) == (60, 400)
    relations = {relation for breakdown in ecosystem.build().edges.values() for relation in breakdown}
    assert relations == {"partnership", "adoption", "shared-offering", "extra-mural", "seminar", "invitation",
                         "membership"}
    kyrgyz = set(Institution.objects.filter(country="KG").values_list("kind", flat=True))
    assert not kyrgyz & {Institution.Kind.INDUSTRY, Institution.Kind.CUSTOMS}
    # A second call finds the network and leaves it as it is.
    assert bench_ecosystem.generate(campus.course, institutions=60, people=400) == made


def test_the_rows_measure_the_map_and_the_table_states_the_goal(campus, monkeypatch):
    monkeypatch.setattr(bench.gc, "collect", lambda *args: 0)
    monkeypatch.setattr(bench, "ECOSYSTEM_SIZE", (40, 200))
    targets = bench.ecosystem_targets(bench.seeded_site())

    with override_settings(ROOT_URLCONF=bench.__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        rows = [bench.measure(target, runs=1) for target in targets]

    assert [row.target.label for row in rows] == [
        "ecosystem map", "ecosystem map JSON", "participation report (signed-in superuser)",
    ]
    for row in rows:
        assert row.cold.queries > 0 and row.cold.ms > 0, row.target.label
    assert rows[0].warm.queries < rows[0].cold.queries  # the graph comes from the cache when warm
    line = bench_ecosystem.summary(rows[0])
    assert "40 institutions and 200 people" in line and "under 1000 ms" in line
