"""The ecosystem map drawn on the server as SVG: readable without JavaScript, printable, and the
same for the same data (the layout is computed, never random).

Each country is a labelled cluster: its institutions sit on a ring around the cluster's centre,
ordered by kind then name, so kinds form coloured arcs. Clusters are laid out in a grid in the
order of the countries' codes. Node size grows with the people over its links, edge width with
the people on the edge. Every node and edge carries a <title> (a tooltip, and what a screen reader
reads); the data table beside the map says the same in text.
"""

import math

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from .models import Institution

KIND_COLOURS = {
    Institution.Kind.UNIVERSITY: "#1f5fa8",
    Institution.Kind.FACULTY: "#6fa8dc",
    Institution.Kind.RESEARCH_INSTITUTE: "#129a9a",
    Institution.Kind.LICENSING_AUTHORITY: "#c0392b",
    Institution.Kind.CUSTOMS: "#e67e22",
    Institution.Kind.LAW_ENFORCEMENT: "#7b4b2a",
    Institution.Kind.MINISTRY: "#c2188b",
    Institution.Kind.GOVERNMENT_AGENCY: "#a08b00",
    Institution.Kind.INDUSTRY: "#2e8b3a",
    Institution.Kind.CIVIL_SOCIETY: "#7d4fb0",
    Institution.Kind.MULTILATERAL: "#5f6368",
    Institution.Kind.PROFESSIONAL_ASSOCIATION: "#b08fd8",
}
KIND_ORDER = {kind: n for n, kind in enumerate(Institution.Kind.values)}
NODE_SPACING = 16  # along a ring, between node centres
MIN_RING = 50
MARGIN = 120  # around each cluster: the country's label above, node labels beside
LABELS_UP_TO = 14  # clusters this small get each node's short name written beside it
LABEL_CHARACTERS = 20  # longer short names are cut (the node's title has the full name)
LEGEND_ROW = 20
# A drawing of more lines than this is neither readable nor quick to send: the strongest are drawn,
# and the description says how many (the table and the JSON have them all).
DRAWN_LINKS = 1500


def colour(kind):
    return KIND_COLOURS.get(kind, "#5f6368")


def node_radius(weighted_degree):
    return round(4 + min(10.0, 1.6 * math.sqrt(weighted_degree)), 1)


def edge_width(weight):
    return round(1 + min(7.0, math.log2(weight) if weight > 1 else 0), 2)


def edge_path(x1, y1, x2, y2, bend):
    """A straight line inside a country; between countries a gentle curve, so a link does not
    seem to pass through the cluster that lies between its ends."""
    if not bend:
        return f"M{x1} {y1}L{x2} {y2}"
    bow = 0.12
    cx = round((x1 + x2) / 2 - (y2 - y1) * bow, 1)
    cy = round((y1 + y2) / 2 + (x2 - x1) * bow, 1)
    return f"M{x1} {y1}Q{cx} {cy} {x2} {y2}"


def short_label(text):
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def label_at(x, y, direction, radius):
    """Where a node's label goes, and its anchor: just outside the node, away from the cluster."""
    dx, dy = direction
    distance = radius + 4
    anchor = "start" if dx > 0.35 else "end" if dx < -0.35 else "middle"
    baseline = 8 if dy > 0.35 else 3 if dy > -0.35 else 0
    return round(x + dx * distance, 1), round(y + dy * distance + baseline, 1), anchor


def strongest(graph, limit=None):
    """The links to draw, ``(pair, breakdown, weight)``: all, or the ``limit`` with the most people
    (ties by pair), drawn lightest first so the strong ones lie on top."""
    limit = limit or DRAWN_LINKS
    links = [(pair, breakdown, sum(breakdown.values())) for pair, breakdown in graph.edges.items()]
    if len(links) > limit:
        links.sort(key=lambda link: (-link[2], link[0]))
        links = links[:limit]
    links.sort(key=lambda link: (link[2], link[0]))
    return links


def layout(graph):
    """Positions by node id, the clusters (country, centre, ring radius), the drawing's size, and
    the direction (outwards from its cluster's centre) in which each node's label goes."""
    by_country = {}
    for node_id, node in graph.nodes.items():
        by_country.setdefault(node["country"], []).append(node_id)
    codes = sorted(by_country)
    if not codes:
        return {}, [], (400, 120), {}
    rings = {
        code: max(MIN_RING, len(ids) * NODE_SPACING / (2 * math.pi)) for code, ids in by_country.items()
    }
    cell = 2 * max(rings.values()) + 2 * MARGIN
    columns = math.ceil(math.sqrt(len(codes)))
    rows = math.ceil(len(codes) / columns)
    positions, clusters, directions = {}, [], {}
    for n, code in enumerate(codes):
        cx = cell * (n % columns) + cell / 2
        cy = cell * (n // columns) + cell / 2
        members = sorted(
            by_country[code],
            key=lambda i: (KIND_ORDER.get(graph.nodes[i]["kind"], 99), graph.nodes[i]["name"].casefold(), i),
        )
        ring = rings[code] if len(members) > 1 else 0
        for k, node_id in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            positions[node_id] = (round(cx + ring * math.cos(angle), 1), round(cy + ring * math.sin(angle), 1))
            directions[node_id] = (math.cos(angle), math.sin(angle)) if ring else (0.0, -1.0)
        clusters.append((code, (cx, cy), rings[code], len(members)))
    return positions, clusters, (columns * cell, rows * cell), directions


def country_name(code):
    return countries.name(code) or code


def render(graph, degree, relation_labels, kind_labels=None, names=None):
    """The map as an SVG string. ``degree`` maps node ids to {"links", "weighted"}; labels, and
    ``names`` (node id to the institution's name) where given, are already in the reader's language."""
    kind_labels = kind_labels or dict(Institution.Kind.choices)
    if names:
        graph = _named(graph, names)
    positions, clusters, (width, height), directions = layout(graph)
    kinds = sorted({node["kind"] for node in graph.nodes.values()}, key=lambda kind: KIND_ORDER.get(kind, 99))
    legend_height = 40 + LEGEND_ROW * (len(kinds) + 3)
    total_height = height + legend_height
    drawn = strongest(graph)
    title = _("Ecosystem map")
    desc = _(
        "%(institutions)s in %(countries)s, %(links)s. Each country is a cluster; colour shows the kind "
        "of institution, line width the number of people on a link. The table below gives the same data."
    ) % {
        "institutions": ngettext("%(n)s institution", "%(n)s institutions", len(graph.nodes)) % {"n": len(graph.nodes)},
        "countries": ngettext("%(n)s country", "%(n)s countries", len(clusters)) % {"n": len(clusters)},
        "links": ngettext("%(n)s link", "%(n)s links", len(graph.edges)) % {"n": len(graph.edges)},
    }
    if len(drawn) < len(graph.edges):
        desc += " " + _("The %(drawn)s links with the most people are drawn.") % {"drawn": len(drawn)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ecosystem-map" role="img" '
        f'aria-labelledby="ecosystem-map-title ecosystem-map-desc" viewBox="0 0 {width:.0f} {total_height:.0f}" '
        f'width="{width:.0f}" height="{total_height:.0f}" font-family="sans-serif" font-size="12">',
        f'<title id="ecosystem-map-title">{escape(title)}</title>',
        f'<desc id="ecosystem-map-desc">{escape(desc)}</desc>',
        '<g class="clusters" fill="none" stroke="#c8ccd2" stroke-dasharray="4 4">',
    ]
    for _code, (cx, cy), ring, _count in clusters:
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{ring + 22:.1f}"/>')
    out.append("</g>")
    out.append('<g class="country-labels" text-anchor="middle" font-size="15" font-weight="bold" fill="#222">')
    for code, (cx, cy), ring, count in clusters:
        out.append(
            f'<text x="{cx:.1f}" y="{cy - ring - 34:.1f}" data-country="{escape(code)}">'
            f"{escape(country_name(code))} ({count})</text>"
        )
    out.append("</g>")
    out.append('<g class="edges" fill="none" stroke="#4a5563" stroke-opacity="0.45" stroke-linecap="round">')
    for (a, b), breakdown, weight in drawn:
        (x1, y1), (x2, y2) = positions[a], positions[b]
        parts = ", ".join(f"{relation_labels.get(rel, rel)}: {people}" for rel, people in sorted(breakdown.items()))
        label = _("%(a)s — %(b)s: %(people)s (%(parts)s)") % {
            "a": graph.nodes[a]["name"], "b": graph.nodes[b]["name"],
            "people": ngettext("%(n)s person", "%(n)s people", weight) % {"n": weight}, "parts": parts,
        }
        out.append(
            f'<path d="{edge_path(x1, y1, x2, y2, graph.nodes[a]["country"] != graph.nodes[b]["country"])}" '
            f'stroke-width="{edge_width(weight)}"><title>{escape(label)}</title></path>'
        )
    out.append("</g>")
    out.append('<g class="nodes" stroke="#fff" stroke-width="1.5">')
    small = {code for code, _centre, _ring, count in clusters if count <= LABELS_UP_TO}
    for node_id in sorted(positions):
        node = graph.nodes[node_id]
        x, y = positions[node_id]
        links = degree.get(node_id, {"links": 0, "weighted": 0})
        label = _("%(name)s (%(kind)s, %(country)s): %(links)s, %(people)s") % {
            "name": node["name"], "kind": kind_labels.get(node["kind"], node["kind"]),
            "country": country_name(node["country"]),
            "links": ngettext("%(n)s link", "%(n)s links", links["links"]) % {"n": links["links"]},
            "people": ngettext("%(n)s person", "%(n)s people", links["weighted"]) % {"n": links["weighted"]},
        }
        out.append(
            f'<g class="node" data-id="{node_id}" data-country="{escape(node["country"])}" '
            f'data-kind="{escape(node["kind"])}"><circle cx="{x}" cy="{y}" r="{node_radius(links["weighted"])}" '
            f'fill="{colour(node["kind"])}"><title>{escape(label)}</title></circle>'
        )
        if node["country"] in small:
            lx, ly, anchor = label_at(x, y, directions.get(node_id, (0.0, -1.0)), node_radius(links["weighted"]))
            out.append(
                f'<text x="{lx}" y="{ly}" text-anchor="{anchor}" stroke="none" fill="#222" font-size="10">'
                f'{escape(short_label(node["short_name"]))}</text>'
            )
        out.append("</g>")
    out.append("</g>")
    y = height + 20
    out.append(f'<g class="legend" font-size="12" fill="#222"><text x="16" y="{y}" font-weight="bold">'
               f'{escape(_("Kinds of institution"))}</text>')
    for n, kind in enumerate(kinds, start=1):
        row_y = y + LEGEND_ROW * n
        out.append(
            f'<circle cx="24" cy="{row_y - 4}" r="6" fill="{colour(kind)}"/>'
            f'<text x="38" y="{row_y}">{escape(kind_labels.get(kind, kind))}</text>'
        )
    row_y = y + LEGEND_ROW * (len(kinds) + 2)
    out.append(
        f'<line x1="16" y1="{row_y - 4}" x2="46" y2="{row_y - 4}" stroke="#4a5563" stroke-width="1"/>'
        f'<line x1="120" y1="{row_y - 4}" x2="150" y2="{row_y - 4}" stroke="#4a5563" stroke-width="{edge_width(32)}"/>'
        f'<text x="52" y="{row_y}">{escape(ngettext("%(n)s person", "%(n)s people", 1) % {"n": 1})}</text>'
        f'<text x="156" y="{row_y}">{escape(ngettext("%(n)s person", "%(n)s people", 32) % {"n": 32})}</text>'
    )
    out.append("</g></svg>")
    return "".join(out)


def _named(graph, names):
    """A copy of ``graph`` whose nodes carry ``names``: the cached graph is shared by every language."""
    nodes = {node_id: {**node, "name": names.get(node_id, node["name"])} for node_id, node in graph.nodes.items()}
    return type(graph)(nodes=nodes, edges=graph.edges)
