"""The ecosystem graph: the network's own links (partnerships, accepted invitations, people in two
places), filters by country, kind and period, the metrics on small known graphs, the gaps, the SVG,
the JSON, bad filters, and a query budget that does not grow with the network."""

import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from network import ecosystem, ecosystem_metrics, ecosystem_svg
from network.ecosystem import Filters, Graph, Period
from network.models import Institution, Invitation, InvitationAcceptance, Membership
from tests.factories import make_institution, make_membership, make_partnership, make_person

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
Kind = Institution.Kind


def edges_of(graph, relation=None):
    return {
        pair: (breakdown if relation is None else breakdown.get(relation))
        for pair, breakdown in graph.edges.items()
        if relation is None or relation in breakdown
    }


def pair(a, b):
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def invite(inviter, institution, people, accepted_at=None):
    invitation = Invitation.objects.create(
        target_type=ContentType.objects.get_for_model(Institution), target_id=institution.pk,
        email="guest@example.org", institution=institution, invited_by=inviter,
        expires_at=timezone.now() + timedelta(days=7), max_uses=len(people) or 1, use_count=len(people),
    )
    for person in people:
        InvitationAcceptance.objects.create(
            invitation=invitation, person=person, accepted_at=accepted_at or timezone.now()
        )
    return invitation


# The network's own sources.


def test_a_partnership_links_two_institutions_and_counts_one():
    a, b, c = make_institution(), make_institution(), make_institution()
    make_partnership(a, b)

    graph = ecosystem.build()

    assert edges_of(graph, "partnership") == {pair(a, b): 1}
    assert c.pk in graph.nodes and graph.nodes[a.pk]["sector"] == "academia"


def test_a_partnership_counts_in_the_periods_it_overlaps():
    a, b = make_institution(), make_institution()
    make_partnership(a, b, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))

    assert ecosystem.build(Filters(period=Period(date(2024, 6, 1), date(2025, 6, 1)))).edges
    assert not ecosystem.build(Filters(period=Period(date(2025, 1, 1), None))).edges
    assert not ecosystem.build(Filters(period=Period(None, date(2023, 12, 31)))).edges


def test_accepted_invitations_link_the_inviters_institution_and_the_invited_one_per_person():
    home, guest_place = make_institution(), make_institution(kind=Kind.MINISTRY, country="GE")
    inviter = make_person(institution=home)
    invite(inviter, guest_place, [make_person(), make_person()])
    invite(inviter, guest_place, [])  # sent, never accepted: no link

    graph = ecosystem.build()

    assert edges_of(graph, "invitation") == {pair(home, guest_place): 2}


def test_an_invitation_without_an_institution_links_to_the_home_institution_of_who_accepted():
    home, elsewhere = make_institution(), make_institution()
    inviter = make_person(institution=home)
    invitation = invite(inviter, home, [])
    invitation.institution = None
    invitation.save()
    InvitationAcceptance.objects.create(invitation=invitation, person=make_person(institution=elsewhere))

    assert edges_of(ecosystem.build(), "invitation") == {pair(home, elsewhere): 1}


def test_accepted_invitations_follow_the_period():
    home, guest_place = make_institution(), make_institution()
    long_ago = timezone.now() - timedelta(days=400)
    invite(make_person(institution=home), guest_place, [make_person()], accepted_at=long_ago)

    last_year = Period(timezone.localdate() - timedelta(days=365), None)
    assert not ecosystem.build(Filters(period=last_year)).edges
    assert ecosystem.build(Filters(period=Period(None, timezone.localdate()))).edges


def test_people_who_belong_to_two_institutions_link_them():
    a, b, c = make_institution(), make_institution(), make_institution()
    for _ in range(3):
        person = make_person()
        make_membership(person, a, Membership.Role.PROFESSOR)
        make_membership(person, b, Membership.Role.STAFF)
    both_roles = make_person()
    make_membership(both_roles, c, Membership.Role.PROFESSOR)
    make_membership(both_roles, c, Membership.Role.COORDINATOR)  # two roles in one place: no link

    assert edges_of(ecosystem.build(), "membership") == {pair(a, b): 3}


def test_weights_add_up_over_relations_and_keep_the_breakdown():
    a, b = make_institution(), make_institution()
    make_partnership(a, b)
    person = make_person()
    make_membership(person, a)
    make_membership(person, b)

    graph = ecosystem.build()

    assert graph.edges == {pair(a, b): {"partnership": 1, "membership": 1}}
    assert graph.weight(pair(a, b)) == 2


# Filters.


def test_country_and_kind_filters_keep_only_matching_institutions_and_the_links_between_them():
    ua, ua_customs = make_institution(country="UA"), make_institution(country="UA", kind=Kind.CUSTOMS)
    md, ge = make_institution(country="MD"), make_institution(country="GE")
    make_partnership(ua, md)
    make_partnership(ua, ua_customs)
    make_partnership(md, ge)

    two = ecosystem.build(Filters(countries=("UA", "MD")))
    assert set(two.nodes) == {ua.pk, ua_customs.pk, md.pk}
    assert set(two.edges) == {pair(ua, md), pair(ua, ua_customs)}

    universities = ecosystem.build(Filters(countries=("UA", "MD"), kinds=(Kind.UNIVERSITY,)))
    assert set(universities.nodes) == {ua.pk, md.pk}
    assert set(universities.edges) == {pair(ua, md)}


# Metrics on small known graphs.


def known_graph(nodes, edges):
    """A Graph from (id, name, country, kind) nodes and (a, b, weight) edges."""
    graph = Graph(nodes={
        node_id: ecosystem.node_of({"id": node_id, "name": name, "short_name": name.lower(), "kind": kind,
                                    "country": country})
        for node_id, name, country, kind in nodes
    })
    for a, b, weight in edges:
        graph.add(a, b, "partnership", weight)
    return graph


STAR_AND_BRIDGE = known_graph(
    [
        (1, "Kyiv University", "UA", Kind.UNIVERSITY),
        (2, "Lviv University", "UA", Kind.UNIVERSITY),
        (3, "Kharkiv Institute", "UA", Kind.RESEARCH_INSTITUTE),
        (4, "Chisinau University", "MD", Kind.UNIVERSITY),
        (5, "Moldovan Customs", "MD", Kind.CUSTOMS),
        (6, "Tbilisi Industry", "GE", Kind.INDUSTRY),
        (7, "Lonely Agency", "GE", Kind.GOVERNMENT_AGENCY),
    ],
    # Kyiv is the hub of Ukraine and the bridge to Moldova; Chisinau bridges to Georgia and to government.
    [(1, 2, 5), (1, 3, 2), (2, 3, 1), (1, 4, 3), (4, 5, 4), (4, 6, 1)],
)


def test_most_connected_ranks_by_people_then_links_then_name():
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE)

    assert [(row["id"], row["weighted_degree"], row["links"]) for row in metrics["most_connected"]] == [
        (1, 10, 3), (4, 8, 3), (2, 6, 2), (5, 4, 1), (3, 3, 2), (6, 1, 1),
    ]


def test_brokers_rank_by_betweenness_and_name_what_they_join():
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE)

    assert [(b["id"], b["betweenness"], b["countries"], b["sectors"]) for b in metrics["brokers"]] == [
        # Of the 15 pairs among the 6 linked institutions (normalised over 7 nodes: 2 / (6 x 5)),
        # 7 pass through Chisinau and 6 through Kyiv.
        (4, 0.466667, ["GE", "MD", "UA"], ["academia", "government", "industry"]),
        (1, 0.4, ["MD", "UA"], []),
    ]


def test_a_broker_inside_one_country_and_sector_is_not_listed():
    chain = known_graph(
        [(1, "A", "UA", Kind.UNIVERSITY), (2, "B", "UA", Kind.UNIVERSITY), (3, "C", "UA", Kind.FACULTY)],
        [(1, 2, 1), (2, 3, 1)],
    )
    assert ecosystem_metrics.measure(chain)["brokers"] == []


def test_isolated_are_those_without_links_by_country_then_name():
    graph = known_graph(
        [(1, "Zeta", "UA", Kind.UNIVERSITY), (2, "Alpha", "UA", Kind.UNIVERSITY), (3, "Beta", "GE", Kind.MINISTRY),
         (4, "Gamma", "UA", Kind.INDUSTRY)],
        [(1, 4, 1)],
    )
    assert ecosystem_metrics.measure(graph)["isolated"] == [3, 2]


def test_betweenness_on_a_large_graph_samples_with_a_fixed_seed():
    nodes = [(n, f"Institution {n:03}", ["UA", "MD", "GE"][n % 3], Kind.UNIVERSITY) for n in range(1, 301)]
    edges = [(n, n + 1, 1) for n in range(1, 300)] + [(n, (n * 7) % 300 + 1, 2) for n in range(1, 301)]
    graph = known_graph(nodes, edges)

    first, second = ecosystem_metrics.measure(graph), ecosystem_metrics.measure(graph)

    assert first["brokers"] == second["brokers"] and len(first["brokers"]) == ecosystem_metrics.TOP


def test_gaps_name_the_kinds_and_sectors_a_country_lacks():
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE)
    gaps = {gap["country"]: gap for gap in metrics["gaps"]}

    assert list(gaps) == ["GE", "MD", "UA"]
    assert Kind.UNIVERSITY not in gaps["UA"]["missing_kinds"]
    assert Kind.CUSTOMS in gaps["UA"]["missing_kinds"] and Kind.INDUSTRY in gaps["UA"]["missing_kinds"]
    assert Kind.CUSTOMS not in gaps["MD"]["missing_kinds"]
    # Georgia has a government agency, but it has no link: missing, and said to be unlinked.
    assert Kind.GOVERNMENT_AGENCY in gaps["GE"]["missing_kinds"]
    assert gaps["GE"]["unlinked_kinds"] == [Kind.GOVERNMENT_AGENCY]
    assert gaps["GE"]["missing_sectors"] == ["academia", "government", "civil-society"]
    assert gaps["UA"]["missing_sectors"] == ["government", "industry", "civil-society"]
    # Neither faculties nor multilateral organisations are expected of a country.
    assert Kind.FACULTY not in gaps["UA"]["missing_kinds"] and Kind.MULTILATERAL not in gaps["UA"]["missing_kinds"]


def test_a_country_seating_only_a_multilateral_organisation_has_no_gaps():
    graph = known_graph(
        [(1, "EU Training Network", "BE", Kind.MULTILATERAL), (2, "Kyiv University", "UA", Kind.UNIVERSITY)],
        [(1, 2, 1)],
    )
    assert [gap["country"] for gap in ecosystem_metrics.measure(graph)["gaps"]] == ["UA"]


def test_gaps_only_look_for_the_kinds_filtered_for():
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE, kinds=(Kind.CUSTOMS, Kind.INDUSTRY))
    gaps = {gap["country"]: gap["missing_kinds"] for gap in metrics["gaps"]}

    assert gaps == {"GE": [Kind.CUSTOMS], "MD": [Kind.INDUSTRY], "UA": [Kind.CUSTOMS, Kind.INDUSTRY]}


# The drawing.


def test_the_svg_is_well_formed_accessible_and_draws_every_node_and_edge():
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE)
    svg = ecosystem_svg.render(STAR_AND_BRIDGE, metrics["degree"], {"partnership": "Partnerships"})

    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby").split()
    assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == labelled_by
    nodes = root.findall(f".//{SVG}g[@class='node']")
    assert sorted(int(node.get("data-id")) for node in nodes) == list(range(1, 8))
    assert len(root.findall(f".//{SVG}g[@class='edges']/{SVG}path")) == 6
    titles = [node.find(f"{SVG}circle/{SVG}title").text for node in nodes]
    assert "Kyiv University (University, Ukraine): 3 links, 10 people" in titles
    countries = [text.text for text in root.findall(f".//{SVG}g[@class='country-labels']/{SVG}text")]
    assert countries == ["Georgia (2)", "Moldova (2)", "Ukraine (3)"]


def test_the_svg_layout_is_the_same_every_time_and_escapes_names():
    graph = known_graph(
        [(1, "<script>alert(1)</script> & Co", "UA", Kind.INDUSTRY), (2, "B \"quoted\"", "UA", Kind.UNIVERSITY)],
        [(1, 2, 3)],
    )
    degree = ecosystem_metrics.measure(graph)["degree"]
    first = ecosystem_svg.render(graph, degree, {})

    assert first == ecosystem_svg.render(graph, degree, {})
    assert "<script>" not in first
    ET.fromstring(first)


def test_a_crowded_map_draws_the_strongest_links_and_says_so(monkeypatch):
    monkeypatch.setattr(ecosystem_svg, "DRAWN_LINKS", 3)
    metrics = ecosystem_metrics.measure(STAR_AND_BRIDGE)

    root = ET.fromstring(ecosystem_svg.render(STAR_AND_BRIDGE, metrics["degree"], {}))

    widths = [float(link.get("stroke-width")) for link in root.findall(f".//{SVG}g[@class='edges']/{SVG}path")]
    assert widths == sorted(widths) and len(widths) == 3  # weights 3, 4, 5: the lightest drawn first
    assert "The 3 links with the most people are drawn." in root.find(f"{SVG}desc").text
    assert len(root.findall(f".//{SVG}g[@class='node']")) == 7


def test_an_empty_map_is_still_a_drawing():
    ET.fromstring(ecosystem_svg.render(Graph(), {}, {}))


# The page and the JSON.


@pytest.fixture
def network():
    ua = make_institution(name="Kyiv Polytechnic", short_name="kpi", country="UA")
    ua_customs = make_institution(name="State Customs Service", short_name="customs-ua", country="UA",
                                  kind=Kind.CUSTOMS)
    md = make_institution(name="Technical University of Moldova", short_name="utm", country="MD")
    kg = make_institution(name="Bishkek Ministry", short_name="kg-ministry", country="KG", kind=Kind.MINISTRY)
    make_partnership(ua, md)
    make_partnership(ua, ua_customs)
    return {"ua": ua, "ua_customs": ua_customs, "md": md, "kg": kg}


def test_a_visitor_sees_the_map_its_panels_and_its_table(client, site_tree, network):
    response = client.get(reverse("ecosystem:map"))

    assert response.status_code == 200
    page = response.content.decode()
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    assert len(ET.fromstring(svg).findall(f".//{SVG}g[@class='node']")) == 4
    for name in ("Kyiv Polytechnic", "State Customs Service", "Technical University of Moldova", "Bishkek Ministry"):
        assert f'<th scope="row">{name}</th>' in page
    assert "Most connected" in page and "Brokers" in page and "Isolated stakeholders" in page
    assert 'id="gaps-heading"' in page and "no Industry" in page
    assert '<label for="id_start">From</label>' in page and "<legend>Countries</legend>" in page


def test_the_page_filters_by_country_and_kind(client, site_tree, network):
    page = client.get(reverse("ecosystem:map"), {"country": ["UA"], "kind": [Kind.CUSTOMS]}).content.decode()

    assert '<th scope="row">State Customs Service</th>' in page
    assert "Kyiv Polytechnic</th>" not in page and "Technical University of Moldova</th>" not in page
    assert page.count('class="node"') == 1


@pytest.mark.parametrize("query, message", [
    ({"country": "ZZ"}, "No institution of the network is in “ZZ”."),
    ({"kind": "pirates"}, "“pirates” is not a kind of institution."),
    ({"start": "2025-13-40"}, "Enter the start date as YYYY-MM-DD."),
    ({"start": "2025-06-01", "end": "2025-01-01"}, "The start date is after the end date."),
])
def test_bad_filters_get_a_message_and_the_whole_map(client, site_tree, network, query, message):
    response = client.get(reverse("ecosystem:map"), query)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were not understood" in page and message in page
    assert page.count('class="node"') == 4

    response = client.get(reverse("ecosystem:map_json"), query)
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_the_json_has_the_same_data(client, site_tree, network):
    data = client.get(reverse("ecosystem:map_json"), {"country": ["UA", "MD"]}).json()

    assert data["filters"] == {"countries": ["MD", "UA"], "kinds": [], "from": None, "to": None}
    assert {node["short_name"] for node in data["nodes"]} == {"kpi", "customs-ua", "utm"}
    ua = network["ua"]
    assert data["nodes"][0].keys() == {
        "id", "name", "short_name", "kind", "sector", "country", "links", "weighted_degree",
    }
    edges = [(edge["source"], edge["target"], edge["weight"], edge["breakdown"]) for edge in data["edges"]]
    assert sorted(edges) == sorted([
        (*pair(ua, network["md"]), 1, {"partnership": 1}),
        (*pair(ua, network["ua_customs"]), 1, {"partnership": 1}),
    ])
    assert data["metrics"]["most_connected"][0] == {"id": ua.pk, "weighted_degree": 2, "links": 2}
    assert data["metrics"]["isolated"] == []
    assert [gap["country"] for gap in data["gaps"]] == ["MD", "UA"]
    assert data["relations"]["partnership"] == "Partnerships"


def test_the_page_never_names_people(client, site_tree, network):
    person = make_person(display_name="Olena Secretname", institution=network["ua"])
    make_membership(person, network["ua"])
    make_membership(person, network["kg"])

    assert "Secretname" not in client.get(reverse("ecosystem:map")).content.decode()
    assert "Secretname" not in client.get(reverse("ecosystem:map_json")).content.decode()


def test_the_graph_is_cached_until_the_data_changes(client, site_tree, network, django_assert_num_queries):
    url = reverse("ecosystem:map_json")
    client.get(url)
    with django_assert_num_queries(1):  # the countries of the filter form, nothing else
        client.get(url)

    make_partnership(network["md"], network["kg"])

    assert len(client.get(url).json()["edges"]) == 3


MAP_BUDGET = 13  # cold: the graph's sources, the names in the reader's language, the layout


def grow_network(size):
    """``size`` more institutions per country, each linked to the last by a partnership and to
    people in two places."""
    made = []
    for country in ("UA", "MD", "GE"):
        for kind in list(Kind.values)[:size]:
            made.append(make_institution(country=country, kind=kind))
    for a, b in zip(made, made[1:], strict=False):
        make_partnership(a, b)
        person = make_person(institution=a)
        make_membership(person, a)
        make_membership(person, b)
        invite(person, b, [make_person(institution=b)])
    return made


def test_the_map_page_budget_is_flat(client, site_tree, network, django_assert_max_num_queries):
    pages = []
    for size in (2, 8):
        grow_network(size)
        ecosystem.bump_version()
        with django_assert_max_num_queries(MAP_BUDGET):
            response = client.get(reverse("ecosystem:map"))
        assert response.status_code == 200
        pages.append(response.content.decode())
    assert pages[1].count('class="node"') > pages[0].count('class="node"') > 4


def test_the_json_and_a_filtered_map_keep_the_budget(client, site_tree, network, django_assert_max_num_queries):
    this_year = f"{timezone.localdate().year}-01-01"
    filtered = {"country": "UA", "kind": [Kind.UNIVERSITY, Kind.MINISTRY, Kind.CUSTOMS], "start": this_year}
    sizes = []
    for size in (2, 8):
        grow_network(size)
        ecosystem.bump_version()
        with django_assert_max_num_queries(MAP_BUDGET):
            data = client.get(reverse("ecosystem:map_json")).json()
        with django_assert_max_num_queries(MAP_BUDGET):
            page = client.get(reverse("ecosystem:map"), filtered)
        html = page.content.decode()
        assert page.status_code == 200 and 'role="alert"' not in html and html.count('class="node"') > 0
        sizes.append((len(data["nodes"]), len(data["edges"])))
    assert sizes[1][0] > sizes[0][0] > 4 and sizes[1][1] > sizes[0][1] > 0


def test_the_map_names_institutions_in_the_readers_language(client, site_tree, network):
    from tests.factories import make_institution_page, sync_language_trees, translate_page

    page = make_institution_page(site_tree, network["ua"])
    sync_language_trees("uk")
    translate_page(page, "uk", title="Київська політехніка")

    with translation.override("uk"):
        html = client.get(reverse("ecosystem:map")).content.decode()
        data = client.get(reverse("ecosystem:map_json")).json()
    assert html.count("Київська політехніка") >= 2  # the drawing and its table
    assert {node["name"] for node in data["nodes"]} >= {"Київська політехніка", "Technical University of Moldova"}
    english = client.get(reverse("ecosystem:map_json")).json()
    assert "Kyiv Polytechnic" in {node["name"] for node in english["nodes"]}
