"""Finding the page for a URL in one lookup instead of one per tree level.

Wagtail routes a URL by walking the tree: a query for each level's child and another for its
specific type. Lecture pages sit five levels down, so routing alone cost more queries than a
whole plain page. When no page type customises ``route()`` (none of ours does), the page for a
URL is simply the page whose ``url_path`` is the localized site root's path plus the URL, so it
can be fetched directly and handed to Wagtail's own serving, which still runs every hook.

The same query brings the page's ancestors (below the site root, their ``url_path``s are the
prefixes of the page's; above it, their tree paths are the prefixes of the root's), so the
breadcrumbs, the parent and the view-restriction check need no lookup of their own.
"""

from functools import cache as memoize

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, get_page_models
from wagtail.url_routing import RouteResult

from .page_cache import current_generation
from .page_tree import has_restriction, remember_lineage
from .sites import localized_root, site_roots


@memoize
def pages_route_by_path():
    return all(model.route is Page.route for model in get_page_models())


def route_by_path(request, path):
    """Wagtail's route for ``path``, or None where only Wagtail's tree walk can tell."""
    if not pages_route_by_path():
        return None
    site = site_roots(request).site
    if site is None:
        return None
    if not path:
        # Wagtail's route for the site root: the reader's home page, if it is live.
        home = localized_root(request)
        return RouteResult(home.specific) if home.live else None
    root = _localized_root(request, site)
    if root is None:
        return None
    root_url_path, locale_id, root_path = root
    url_path = root_url_path + path
    below_root = Q(url_path__in=_url_paths_below(root_url_path, path), locale_id=locale_id)
    root_and_above = Q(path__in=[root_path[:end] for end in range(Page.steplen, len(root_path) + 1, Page.steplen)])
    rows = list(Page.objects.filter(below_root | root_and_above).annotate(restricted=has_restriction()))
    # Rows come in tree order, so the first match is the one Wagtail's .first() would give.
    page = next((row for row in rows if row.url_path == url_path and row.locale_id == locale_id and row.live), None)
    if page is None:
        return None
    specific = page.specific
    lineage = [row for row in rows if page.path.startswith(row.path)]
    # A page whose ancestors are not all in its locale's tree shows fewer rows than levels: then
    # its lineage is looked up by tree path when first needed.
    if len(lineage) == page.depth:
        remember_lineage(request, specific, lineage)
    return RouteResult(specific)


def _url_paths_below(root_url_path, path):
    """'/home/', 'a/b/' -> ['/home/a/', '/home/a/b/']."""
    segments = [segment for segment in path.split("/") if segment]
    return [root_url_path + "".join(f"{segment}/" for segment in segments[:end]) for end in range(1, len(segments) + 1)]


def _localized_root(request, site):
    key = f"localized-root:{current_generation()}:{site.pk}:{translation.get_language()}"
    root = cache.get(key)
    if root is None:
        localized = localized_root(request)
        root = (localized.url_path, localized.locale_id, localized.path)
        cache.set(key, root, 60 * 60 * 24)
    return root
