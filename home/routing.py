"""Finding the page for a URL in one lookup instead of one per tree level.

Wagtail routes a URL by walking the tree: a query for each level's child and another for its
specific type. Lecture pages sit five levels down, so routing alone cost more queries than a
whole plain page. When no page type customises ``route()`` (none of ours does), the page for a
URL is simply the page whose ``url_path`` is the localized site root's path plus the URL, so it
can be fetched directly and handed to Wagtail's own serving, which still runs every hook.
"""

from functools import cache as memoize

from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site, get_page_models
from wagtail.url_routing import RouteResult

from .page_cache import current_generation


@memoize
def pages_route_by_path():
    return all(model.route is Page.route for model in get_page_models())


def route_by_path(request, path):
    """Wagtail's route for ``path``, or None where only Wagtail's tree walk can tell."""
    if not path or not pages_route_by_path():
        return None  # the site root itself is one lookup for Wagtail too
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = _localized_root(site)
    if root is None:
        return None
    root_url_path, locale_id = root
    page = Page.objects.filter(url_path=root_url_path + path, locale_id=locale_id, live=True).first()
    if page is None:
        return None
    return RouteResult(page.specific)


def _localized_root(site):
    key = f"site-root:{current_generation()}:{site.pk}:{translation.get_language()}"
    root = cache.get(key)
    if root is None:
        localized = site.root_page.localized
        root = (localized.url_path, localized.locale_id)
        cache.set(key, root, 60 * 60 * 24)
    return root
