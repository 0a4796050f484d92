"""What the ecosystem graph says: who is most connected, who brokers between countries or sectors,
who stands alone, and which kinds of stakeholder each country lacks.

Every ranking breaks ties by name then id, and betweenness on a large graph samples its pivots
with a fixed seed, so the same data always gives the same answer.
"""

import networkx as nx

from .models import Institution

TOP = 10
# Above this many nodes, betweenness is estimated from sampled pivots (fixed seed): exact
# betweenness costs O(nodes x edges), too slow for a page at 500 institutions. Each pivot costs a
# walk over every edge, so the denser the graph the fewer pivots fit in the time: between
# MIN_PIVOTS and MAX_PIVOTS, about PIVOT_EDGE_VISITS edge visits in all.
EXACT_BETWEENNESS_UP_TO = 150
MAX_PIVOTS = 64
MIN_PIVOTS = 16
PIVOT_EDGE_VISITS = 250_000
SEED = 6

# The kinds a country's ecosystem is expected to have. A faculty is part of a university and a
# multilateral organisation belongs to no country, so neither is missed when absent.
EXPECTED_KINDS = tuple(
    kind for kind in Institution.Kind.values if kind not in (Institution.Kind.FACULTY, Institution.Kind.MULTILATERAL)
)
EXPECTED_SECTORS = tuple(sector for sector in Institution.Sector.values if sector != Institution.Sector.MULTILATERAL)


def to_networkx(graph):
    g = nx.Graph()
    g.add_nodes_from(sorted(graph.nodes))
    g.add_weighted_edges_from((a, b, sum(breakdown.values())) for (a, b), breakdown in sorted(graph.edges.items()))
    return g


def order(graph, node_id):
    node = graph.nodes[node_id]
    return (node["name"].casefold(), node_id)


def degrees(g):
    weighted = dict(g.degree(weight="weight"))
    return {node_id: {"links": links, "weighted": weighted[node_id]} for node_id, links in g.degree()}


def most_connected(graph, degree, top=TOP):
    """The ``top`` institutions by weighted degree (people over all their links), then link count."""
    ranked = sorted(
        (node_id for node_id, counts in degree.items() if counts["links"]),
        key=lambda node_id: (-degree[node_id]["weighted"], -degree[node_id]["links"], order(graph, node_id)),
    )
    return [
        {"id": node_id, "weighted_degree": degree[node_id]["weighted"], "links": degree[node_id]["links"]}
        for node_id in ranked[:top]
    ]


def pivots(g):
    """How many pivots betweenness samples, or None for the exact value."""
    if g.number_of_nodes() <= EXACT_BETWEENNESS_UP_TO:
        return None
    fitting = PIVOT_EDGE_VISITS // max(1, g.number_of_edges())
    return min(g.number_of_nodes(), max(MIN_PIVOTS, min(MAX_PIVOTS, fitting)))


def betweenness(g):
    k = pivots(g)
    if k is None:
        return nx.betweenness_centrality(g)
    return nx.betweenness_centrality(g, k=k, seed=SEED)


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
    """For each country on the map (multilateral organisations aside): the expected stakeholder
    kinds (those filtered for, if any) and sectors with no connected institution there.
    ``unlinked_kinds`` are those of them the country has, but with no link in the period."""
    expected = [kind for kind in EXPECTED_KINDS if not kinds or kind in kinds]
    expected_sectors = [
        sector for sector in EXPECTED_SECTORS
        if any(Institution.SECTOR_OF_KIND[kind] == sector for kind in expected)
    ]
    by_country = {}
    for node_id, node in graph.nodes.items():
        if node["kind"] == Institution.Kind.MULTILATERAL:  # seated in a country, but not of it
            continue
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
    degree = degrees(g)
    return {
        "most_connected": most_connected(graph, degree),
        "brokers": brokers(graph, g),
        "isolated": isolated(graph, g),
        "gaps": gaps(graph, g, kinds),
        "degree": degree,
    }
