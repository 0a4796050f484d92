"""The site's main navigation: the home page's menu children in the reader's language."""

from django.core.cache import cache
from django.utils import translation

from .page_cache import current_generation
from .page_tree import public_children
from .sites import localized_root, site_roots


def main_navigation(request):
    """[(title, url)] for the home page and its menu children; cached until content changes."""
    site = site_roots(request).site
    if site is None:
        return []
    key = f"main-nav:{current_generation()}:{site.pk}:{translation.get_language()}"
    links = cache.get(key)
    if links is None:
        home = localized_root(request)
        links = [(home.title, home.get_url(request))] + [
            (child.title, child.get_url(request)) for child in public_children(home).live().in_menu()
        ]
        cache.set(key, links, 60 * 60 * 24)
    return links
