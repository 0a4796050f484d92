"""The ecosystem map (a public page and its JSON) and the participation reports (coordinators)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django_countries import countries

from . import ecosystem, ecosystem_svg, participation
from .ecosystem_forms import EcosystemFilterForm, ReportForm
from .institution_names import names_in_language
from .models import Institution

# The data table lists every institution, and the strongest links up to this many (all in the JSON).
LINK_ROWS = 300
REPORT_LINES_PER_PAGE = 200


def read_filters(request, form_class=EcosystemFilterForm):
    """The bound form (or an unbound one without a query) and the filters it gives; bad input
    gives no filters, and the form carries the errors to show."""
    form = form_class(request.GET or None, countries=ecosystem.countries_present())
    if form.is_bound and form.is_valid():
        return form, form.filters()
    return form, None


def labelled(graph, metrics):
    """The snapshot as plain data a template or JSON can use, with names and labels resolved."""
    kinds = dict(Institution.Kind.choices)
    sectors = dict(Institution.Sector.choices)
    relations = ecosystem.relation_labels()
    degree = metrics["degree"]
    language = get_language()
    names = ecosystem.cached(ecosystem.Filters(), lambda: names_in_language(language), suffix=f":names:{language}")
    nodes = {}
    for node_id, node in graph.nodes.items():
        nodes[node_id] = {
            **node,
            "name": names.get(node_id, node["name"]),
            "country_name": countries.name(node["country"]) or node["country"],
            "kind_label": str(kinds.get(node["kind"], node["kind"])),
            "sector_label": str(sectors.get(node["sector"], node["sector"])),
            "links": degree[node_id]["links"],
            "weighted_degree": degree[node_id]["weighted"],
        }
    edges = sorted(
        (
            {
                "source": a, "target": b, "weight": sum(breakdown.values()),
                "breakdown": dict(sorted(breakdown.items())),
            }
            for (a, b), breakdown in graph.edges.items()
        ),
        key=lambda edge: (-edge["weight"], edge["source"], edge["target"]),
    )
    gaps = [
        {
            **gap,
            "country_name": countries.name(gap["country"]) or gap["country"],
            "missing_kind_labels": [str(kinds[kind]) for kind in gap["missing_kinds"]],
            "unlinked_kind_labels": [str(kinds[kind]) for kind in gap["unlinked_kinds"]],
            "missing_sector_labels": [str(sectors[sector]) for sector in gap["missing_sectors"]],
        }
        for gap in metrics["gaps"]
    ]
    return {
        "nodes": sorted(nodes.values(), key=lambda node: (node["country_name"], node["name"].casefold(), node["id"])),
        "by_id": nodes,
        "edges": edges,
        "relations": {key: str(label) for key, label in relations.items()},
        "most_connected": metrics["most_connected"],
        "brokers": [
            {
                **broker,
                "country_names": [countries.name(code) or code for code in broker["countries"]],
                "sector_labels": [str(sectors.get(sector, sector)) for sector in broker["sectors"]],
            }
            for broker in metrics["brokers"]
        ],
        "isolated": metrics["isolated"],
        "gaps": gaps,
    }


def filters_as_data(filters):
    return {
        "countries": list(filters.countries),
        "kinds": list(filters.kinds),
        "from": filters.period.start.isoformat() if filters.period.start else None,
        "to": filters.period.end.isoformat() if filters.period.end else None,
    }


@require_GET
def ecosystem_map(request):
    form, filters = read_filters(request)
    filters = filters or ecosystem.Filters()
    found = ecosystem.snapshot(filters)
    data = labelled(found["graph"], found["metrics"])
    svg = ecosystem.cached(
        filters,
        lambda: ecosystem_svg.render(
            found["graph"], found["metrics"]["degree"], data["relations"],
            names={node_id: node["name"] for node_id, node in data["by_id"].items()},
        ),
        suffix=f":svg:{get_language()}",
    )
    by_id = data["by_id"]
    edge_rows = [
        {**edge, "a": by_id[edge["source"]], "b": by_id[edge["target"]],
         "parts": [(data["relations"].get(rel, rel), people) for rel, people in edge["breakdown"].items()]}
        for edge in data["edges"][:LINK_ROWS]
    ]
    return render(request, "network/ecosystem.html", {
        "form": form,
        "filtered": filters != ecosystem.Filters(),
        "svg": svg,
        "nodes": data["nodes"],
        "edge_rows": edge_rows,
        "edge_count": len(data["edges"]),
        "most_connected": [{**by_id[row["id"]], **row} for row in data["most_connected"]],
        "brokers": [{**broker, "node": by_id[broker["id"]]} for broker in data["brokers"]],
        "isolated": [by_id[node_id] for node_id in data["isolated"]],
        "gaps": data["gaps"],
        "json_url": reverse("ecosystem:map_json") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        "may_see_reports": participation.may_see(request.user),
    })


@require_GET
def ecosystem_json(request):
    form, filters = read_filters(request)
    if form.is_bound and filters is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    filters = filters or ecosystem.Filters()
    found = ecosystem.snapshot(filters)
    data = labelled(found["graph"], found["metrics"])
    node_fields = ("id", "name", "short_name", "kind", "sector", "country", "links", "weighted_degree")
    return JsonResponse({
        "filters": filters_as_data(filters),
        "relations": data["relations"],
        "nodes": [{key: node[key] for key in node_fields} for node in data["nodes"]],
        "edges": data["edges"],
        "metrics": {
            "most_connected": data["most_connected"],
            "brokers": [
                {key: broker[key] for key in ("id", "betweenness", "countries", "sectors")}
                for broker in data["brokers"]
            ],
            "isolated": data["isolated"],
        },
        "gaps": [
            {key: gap[key] for key in ("country", "missing_kinds", "unlinked_kinds", "missing_sectors")}
            for gap in data["gaps"]
        ],
    }, json_dumps_params={"ensure_ascii": False})


def reports_access(request):
    """None when the person may read the reports; otherwise the answer to give."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    if not participation.may_see(request.user):
        raise PermissionDenied
    return None


@require_GET
def reports(request):
    refused = reports_access(request)
    if refused:
        return refused
    form, _filters = read_filters(request, ReportForm)
    wanted = form.report_request() if form.is_bound and form.is_valid() else participation.ReportRequest()
    lines, activities = participation.report(wanted)
    page = Paginator(lines, REPORT_LINES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "network/participation.html", {
        "form": form,
        "wanted": wanted,
        "group_label": participation.GROUPS[wanted.group],
        "activities": activities,
        "lines": page,
        "items": page,
        "query_string": query.urlencode(),
        "csv_url": reverse("ecosystem:reports_csv") + (f"?{query.urlencode()}" if query else ""),
    })


@require_GET
def reports_csv(request):
    refused = reports_access(request)
    if refused:
        return refused
    form, _filters = read_filters(request, ReportForm)
    if form.is_bound and not form.is_valid():
        errors = "\n".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    wanted = form.report_request() if form.is_bound else participation.ReportRequest()
    response = StreamingHttpResponse(participation.csv_lines(wanted), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="participation-{wanted.group}-{stamp}.csv"'
    return response
