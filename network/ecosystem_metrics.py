"""What the ecosystem graph says: who is most connected, who brokers between countries or sectors,
who stands alone, and which kinds of stakeholder each country lacks.

Every ranking breaks ties by name then id, and betweenness on a large graph samples its pivots
with a fixed seed, so the same data always gives the same answer.
"""

import networkx as nx

from .models import Institution

TOP = 10
# Above this many nodes, betweenness is estimated from SAMPLE_PIVOTS pivots (fixed seed): exact
# betweenness costs O(nodes x edges), too slow for a page at 500 institutions.
EXACT_BETWEENNESS_UP_TO = 150
SAMPLE_PIVOTS = 64
SEED = 6

# The kinds a country's ecosystem is expected to have. A faculty is part of a university and a
# multilateral organisation belongs to no country, so neither is missed when absent.
EXPECTED_KINDS = tuple(
    kind for kind in Institution.Kind.values if kind not in (Institution.Kind.FACULTY, Institution.Kind.MULTILATERAL)
)
EXPECTED_SECTORS = tuple(sector for sector in Institution.Sector.values if sector != Institution.Sector.MULTILATERAL)


def to_networkx(graph):
    g = nx.Graph()
    for node_id in sorted(graph.nodes):
        g.add_node(node_id)
    for (a, b), breakdown in sorted(graph.edges.items()):
        g.add_edge(a, b, weight=sum(breakdown.values()))
    return g


def order(graph, node_id):
    node = graph.nodes[node_id]
    return (node["name"].casefold(), node_id)


def most_connected(graph, g, top=TOP):
    """The ``top`` institutions by weighted degree (people over all their links), then link count."""
    ranked = sorted(
        (node_id for node_id in g.nodes if g.degree(node_id)),
        key=lambda node_id: (-g.degree(node_id, weight="weight"), -g.degree(node_id), order(graph, node_id)),
    )
    return [
        {"id": node_id, "weighted_degree": g.degree(node_id, weight="weight"), "links": g.degree(node_id)}
        for node_id in ranked[:top]
    ]


def betweenness(g):
    if g.number_of_nodes() > EXACT_BETWEENNESS_UP_TO:
        return nx.betweenness_centrality(g, k=min(SAMPLE_PIVOTS, g.number_of_nodes()), seed=SEED)
    return nx.betweenness_centrality(g)


def brokers(graph, g, top=TOP):
    """Institutions on the shortest paths between others whose links reach more than one country or
    more than one sector, ranked by betweenness centrality, with the countries and sectors they join."""
    centrality = betweenness(g) if g.number_of_edges() else {}
    found = []
    for node_id, score in centrality.items():
        if score <= 0:
            continue
        around = [graph.nodes[n] for n in g.neighbors(node_id)] + [graph.nodes[node_id]]
        countries = sorted({node["country"] for node in around})
        sectors = sorted({node["sector"] for node in around})
        if len(countries) > 1 or len(sectors) > 1:
            found.append({
                "id": node_id,
                "betweenness": round(score, 6),
                "countries": countries if len(countries) > 1 else [],
                "sectors": sectors if len(sectors) > 1 else [],
            })
    found.sort(key=lambda broker: (-broker["betweenness"], order(graph, broker["id"])))
    return found[:top]


def isolated(graph, g):
    """Institutions with no link in the period, by country then name."""
    lonely = [node_id for node_id in g.nodes if g.degree(node_id) == 0]
    return sorted(lonely, key=lambda node_id: (graph.nodes[node_id]["country"], order(graph, node_id)))


def gaps(graph, g, kinds=()):
    """For each country on the map: the expected stakeholder kinds (those filtered for, if any) and
    sectors with no connected institution there. ``unlinked_kinds`` are those of them the country
    has, but with no link in the period."""
    expected = [kind for kind in EXPECTED_KINDS if not kinds or kind in kinds]
    expected_sectors = [
        sector for sector in EXPECTED_SECTORS
        if any(Institution.SECTOR_OF_KIND[kind] == sector for kind in expected)
    ]
    by_country = {}
    for node_id, node in graph.nodes.items():
        seen = by_country.setdefault(node["country"], {"linked": set(), "present": set(), "sectors": set()})
        seen["present"].add(node["kind"])
        if g.degree(node_id):
            seen["linked"].add(node["kind"])
            seen["sectors"].add(node["sector"])
    result = []
    for country in sorted(by_country):
        seen = by_country[country]
        missing = [kind for kind in expected if kind not in seen["linked"]]
        result.append({
            "country": country,
            "missing_kinds": missing,
            "unlinked_kinds": [kind for kind in missing if kind in seen["present"]],
            "missing_sectors": [sector for sector in expected_sectors if sector not in seen["sectors"]],
        })
    return result


def measure(graph, kinds=()):
    """Every metric of ``graph``, as plain data (ids refer to ``graph.nodes``)."""
    g = to_networkx(graph)
    return {
        "most_connected": most_connected(graph, g),
        "brokers": brokers(graph, g),
        "isolated": isolated(graph, g),
        "gaps": gaps(graph, g, kinds),
        "degree": {node_id: {"links": g.degree(node_id), "weighted": g.degree(node_id, weight="weight")}
                   for node_id in g.nodes},
    }
