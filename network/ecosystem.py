"""The ecosystem graph: institutions as nodes, and edges from whatever links them.

Each kind of link (an adoption, a partnership, a shared offering, students from another
institution, seminar participants, accepted invitations, people belonging to two places) is an
``EdgeSource`` registered by the app that owns its data: network registers its own here, course
and lessons from their ``AppConfig.ready()``, so network never imports them. A source answers with
one aggregated query (GROUP BY the two institutions), so building the graph costs the same number
of queries whatever the size of the network.

An edge's weight is the number of people involved, summed over its relations; a relation that
names nobody (a partnership, an adoption, a shared offering) counts as one. Each edge keeps its
per-relation breakdown.
"""

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .models import Institution

CACHE_SECONDS = 120
VERSION_KEY = "ecosystem:version"


@dataclass(frozen=True)
class Period:
    """From and to dates, both included; either may be open."""

    start: date | None = None
    end: date | None = None

    def on(self, field_name, datetime=True):
        """Records whose date (or a datetime's local date) ``field_name`` falls in the period."""
        lookup = f"{field_name}__date" if datetime else field_name
        q = Q()
        if self.start:
            q &= Q(**{f"{lookup}__gte": self.start})
        if self.end:
            q &= Q(**{f"{lookup}__lte": self.end})
        return q

    def overlapping(self, start_field, end_field):
        """Records running from ``start_field`` to ``end_field`` (either may be empty) that overlap it."""
        q = Q()
        if self.end:
            q &= Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": self.end})
        if self.start:
            q &= Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start})
        return q


@dataclass(frozen=True)
class Filters:
    countries: tuple = ()
    kinds: tuple = ()
    period: Period = Period()

    def key(self):
        return json.dumps(
            [sorted(self.countries), sorted(self.kinds), str(self.period.start or ""), str(self.period.end or "")]
        )


@dataclass(frozen=True)
class EdgeSource:
    """One kind of link. ``rows(period)`` answers ``(institution a, institution b, people)`` rows,
    aggregated in the database; ``models`` are the labels whose changes make the cached graph stale."""

    relation: str
    label: str
    rows: object
    models: tuple = ()
    order: int = 100


_sources = {}


def register(source):
    """Add (or replace, by relation) a kind of link. Apps call this from ``AppConfig.ready()``."""
    _sources[source.relation] = source
    _watch(source.models)


def sources():
    return sorted(_sources.values(), key=lambda source: (source.order, source.relation))


def relation_labels():
    return {source.relation: source.label for source in sources()}


# What stays cheap to check: every save or delete of a watched model moves the version on, so a
# cached graph is never older than the data by more than the writes that bypass signals (bulk
# operations), and those by at most CACHE_SECONDS.
_watched = set()


def _watch(labels):
    for label in labels:
        if label in _watched:
            continue
        _watched.add(label)
        model = apps.get_model(label)
        post_save.connect(bump_version, sender=model, dispatch_uid=f"ecosystem-{label}-save")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"ecosystem-{label}-delete")
        # A link may come from a many-to-many field alone (an offering's partners), which saves no row
        # of the model itself.
        for relation in model._meta.many_to_many:
            m2m_changed.connect(
                _bump_on_relation_change, sender=relation.remote_field.through,
                dispatch_uid=f"ecosystem-{label}-{relation.name}-m2m",
            )


def _bump_on_relation_change(action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_version()


def bump_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


def data_version():
    return cache.get_or_set(VERSION_KEY, time.time_ns, None)


@dataclass
class Graph:
    """Nodes by institution id (dicts of public facts) and edges keyed by the pair (low id, high id)."""

    nodes: dict = field(default_factory=dict)
    edges: dict = field(default_factory=dict)

    def add(self, a, b, relation, people):
        if a is None or b is None or a == b or a not in self.nodes or b not in self.nodes or people <= 0:
            return
        pair = (a, b) if a < b else (b, a)
        breakdown = self.edges.setdefault(pair, {})
        breakdown[relation] = breakdown.get(relation, 0) + people

    def weight(self, pair):
        return sum(self.edges[pair].values())


NODE_FIELDS = ("id", "name", "short_name", "kind", "country")


def node_of(row):
    kind = row["kind"]
    return {
        **row,
        "country": str(row["country"]),
        "sector": str(Institution.SECTOR_OF_KIND.get(kind, Institution.Sector.CIVIL_SOCIETY)),
    }


def build(filters=Filters()):
    """The graph of the institutions that pass ``filters``, with the edges between them in its period."""
    institutions = Institution.objects.order_by("country", "name", "pk")
    if filters.countries:
        institutions = institutions.filter(country__in=filters.countries)
    if filters.kinds:
        institutions = institutions.filter(kind__in=filters.kinds)
    graph = Graph(nodes={row["id"]: node_of(row) for row in institutions.values(*NODE_FIELDS)})
    if not graph.nodes:
        return graph
    for source in sources():
        for a, b, people in source.rows(filters.period):
            graph.add(a, b, source.relation, people)
    return graph


def cache_key(filters, suffix=""):
    digest = hashlib.sha256(filters.key().encode()).hexdigest()[:24]
    return f"ecosystem:{data_version()}:{digest}{suffix}"


def cached(filters, compute, suffix=""):
    """``compute()`` for this filter set and data version, from the cache when it is there."""
    key = cache_key(filters, suffix)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def countries_present():
    """The countries that have at least one institution, as codes."""
    return sorted({str(code) for code in Institution.objects.values_list("country", flat=True).distinct()})


# The network's own links.


def partnerships(period):
    from .models import Partnership

    return (
        Partnership.objects.filter(period.overlapping("starts_on", "ends_on"))
        .values_list("first_id", "second_id")
        .annotate(people=Count("pk"))
        .order_by()
    )


def accepted_invitations(period):
    """The inviter's home institution and the institution the invitation names (or else the home
    institution of the person who accepted): one per person who accepted."""
    from django.db.models.functions import Coalesce

    from .models import InvitationAcceptance

    return (
        InvitationAcceptance.objects.filter(period.on("accepted_at"))
        .annotate(
            inviter=F("invitation__invited_by__profile__institution_id"),
            invitee=Coalesce("invitation__institution_id", "person__profile__institution_id"),
        )
        .values_list("inviter", "invitee")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    )


def shared_memberships(period):
    """People who belong to two institutions link them."""
    from .models import Membership

    memberships = Membership.objects.filter(person__memberships__institution_id__gt=F("institution_id"))
    if period.end:
        memberships = memberships.filter(since__lte=period.end, person__memberships__since__lte=period.end)
    return (
        memberships.annotate(other=F("person__memberships__institution_id"))
        .values_list("institution_id", "other")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    )


register(EdgeSource("partnership", _("Partnerships"), partnerships, ("network.Partnership",), order=20))
register(EdgeSource(
    "invitation", _("Accepted invitations"), accepted_invitations,
    ("network.InvitationAcceptance", "network.Invitation", "network.Profile"), order=60,
))
register(EdgeSource("membership", _("People in both"), shared_memberships, ("network.Membership",), order=70))
_watch(("network.Institution", "network.InstitutionPage"))  # the page's title is the name people read


def snapshot(filters=Filters()):
    """The graph for ``filters`` and its metrics, computed once per filter set and data version."""
    from . import ecosystem_metrics

    def compute():
        graph = build(filters)
        return {"graph": graph, "metrics": ecosystem_metrics.measure(graph, filters.kinds)}

    return cached(filters, compute)
