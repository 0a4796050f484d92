"""A served page's place in the tree, loaded once per request and shared by everything that asks.

Serving a page asks about its ancestors several times: Wagtail's view-restriction check (a query
for the ancestors, another for their restrictions), the breadcrumbs (the ancestors again), the page's
own context (its parent). The lineage (the ancestors and the page, root first) is loaded once,
each page marked with whether a view restriction is set on it, so that the restriction check needs
no query at all where none is set, which is almost everywhere.
"""

from functools import partial
from itertools import pairwise

from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PageViewRestriction


def has_restriction():
    """An annotation: whether a view restriction is set on the page itself."""
    return Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk")))


def lineage(request, page):
    """The ancestors of ``page`` and ``page``, root first, each with a ``restricted`` flag."""
    known = request.__dict__.setdefault("_campus_lineage", {})
    if page.pk not in known:
        remember_lineage(
            request, page, list(Page.objects.ancestor_of(page, inclusive=True).annotate(restricted=has_restriction()))
        )
    return known[page.pk]


def remember_lineage(request, page, pages):
    """Keep ``pages`` (``lineage()``'s rows) for the request, and give each page its parent the way
    Wagtail's own routing does, so that ``get_parent()`` costs nothing."""
    request.__dict__.setdefault("_campus_lineage", {})[page.pk] = pages
    for parent, child in pairwise(pages):
        child._cached_parent_obj = parent
    if len(pages) > 1:
        page._cached_parent_obj = pages[-2]


def check_restrictions_from_lineage(request, page):
    """Let Wagtail's view-restriction check (its ``check_view_restrictions`` hook asks the served page)
    answer from the lineage instead of querying the ancestors and their restrictions again."""
    page.get_view_restrictions = partial(view_restrictions, request, page)


def view_restrictions(request, page):
    """What ``Page.get_view_restrictions()`` returns: the restrictions set on the page or an ancestor,
    an alias standing for its source page. A query only where an alias or a restriction is found."""
    restricted_ids = set()
    pages = lineage(request, page)
    sources = request.__dict__.setdefault("_campus_alias_sources", {})
    seen = set()
    while pages:
        restricted_ids |= {p.pk for p in pages if not p.alias_of_id and p.restricted}
        wanted = {p.alias_of_id for p in pages if p.alias_of_id} - seen
        seen |= wanted
        pages = []
        if wanted:
            pages = list(
                Page.objects.filter(pk__in=wanted).only("alias_of", "locale").annotate(restricted=has_restriction())
            )
            sources.update((p.pk, p) for p in pages)
    if not restricted_ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(page_id__in=restricted_ids)


def alias_source_locale_id(request, page):
    """The locale of the page ``page`` is an alias of, from the restriction check when it loaded it."""
    source = request.__dict__.get("_campus_alias_sources", {}).get(page.alias_of_id)
    if source is not None:
        return source.locale_id
    return Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first()


def public_children(parent):
    """``parent.get_children().public()`` in a single query: ``public()`` first loads every view
    restriction of the site to build its filter; a child is private when a restriction is set on it
    or on ``parent`` or one of its ancestors, which a subquery can tell."""
    lineage_paths = [parent.path[:end] for end in range(parent.steplen, len(parent.path) + 1, parent.steplen)]
    restricted = PageViewRestriction.objects.filter(Q(page_id=OuterRef("pk")) | Q(page__path__in=lineage_paths))
    return parent.get_children().exclude(Exists(restricted))
