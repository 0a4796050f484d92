"""The request's site, Wagtail's site root paths and the reader's home page, from one pair of queries.

Wagtail answers three questions about a request separately: which site it is for
(``Site.find_for_request``: a query), where every site's home page lives in each language (the site
root paths that every page URL needs: a query for the sites, then one for each site's translations)
and which home page is the reader's (``root_page.localized``: a query for the active locale, then
one for its translation). On a cold cache all three come out of the same rows: every site with its
root page, and the root pages' translations with their locales. Once loaded, they are handed to
Wagtail where it keeps them (the request's ``_wagtail_site`` and ``_wagtail_cached_site_root_paths``,
and the cached root paths), so Wagtail's own code finds them too.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
    SiteRootPath,
)

ROOT_PATHS_SECONDS = 3600  # as long as Wagtail keeps the root paths it caches itself


@dataclass
class SiteRoots:
    site: Site | None
    # The site's root page in every language, locales loaded; None when the root paths came from
    # the cache and these were not needed.
    translations: list | None
    localized: dict = field(default_factory=dict)  # active language code -> the reader's home page
    language_codes: dict = field(default_factory=dict)  # locale id -> language code


def site_roots(request):
    """The request's ``SiteRoots``, loaded once per request."""
    roots = request.__dict__.get("_campus_site_roots")
    if roots is None:
        roots = request._campus_site_roots = _load(request)
    return roots


def localized_root(request):
    """``site.root_page.localized`` in the active language, without asking the database again."""
    roots = site_roots(request)
    if roots.site is None:
        return None
    language = translation.get_language()
    if language not in roots.localized:
        roots.localized[language] = _localized(roots)
    return roots.localized[language]


def language_code_of(request, locale_id):
    """The language code of the locale ``locale_id`` (None if there is no such locale)."""
    codes = site_roots(request).language_codes
    if locale_id not in codes:
        codes[locale_id] = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    return codes[locale_id]


def default_language_code(request):
    """``Locale.get_default().language_code``; the home page's translations usually show it exists."""
    try:
        code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        code = None
    if code is not None and code in site_roots(request).language_codes.values():
        return code
    return Locale.get_default().language_code


def _load(request):
    if hasattr(request, "_wagtail_cached_site_root_paths") or _cached_root_paths(request):
        return SiteRoots(Site.find_for_request(request), translations=None)
    i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    # Wagtail's order for the root paths: the most specific path first.
    sites = list(
        Site.objects.select_related("root_page", "root_page__locale").order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
    )
    if i18n:
        keys = {site.root_page.translation_key for site in sites}
        every_translation = list(Page.objects.filter(translation_key__in=keys).select_related("locale"))

    def root_pages(site):
        # Wagtail's get_translations(inclusive=True) of the site's root page, in its (tree) order.
        if not i18n:
            return [site.root_page]
        return [page for page in every_translation if page.translation_key == site.root_page.translation_key]

    root_paths = [
        SiteRootPath(site.id, page.url_path, site.root_url, page.locale.language_code)
        for site in sites
        for page in root_pages(site)
    ]
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, root_paths, ROOT_PATHS_SECONDS, version=SITE_ROOT_PATHS_CACHE_VERSION)
    request._wagtail_cached_site_root_paths = root_paths
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = _site_for_host(request, sites)
    site = request._wagtail_site
    roots = SiteRoots(site, root_pages(site) if site is not None else None)
    for page in roots.translations or ():
        roots.language_codes[page.locale_id] = page.locale.language_code
    return roots


def _cached_root_paths(request):
    cached = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    if cached is None:
        return False
    # As Wagtail does: some cache backends hand named tuples back as plain ones.
    request._wagtail_cached_site_root_paths = [SiteRootPath(*root_path) for root_path in cached]
    return True


def _site_for_host(request, sites):
    """Wagtail's ``get_site_for_hostname`` for this request, picked from every site already loaded."""
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except ValueError:
        return Site.find_for_request(request)  # whatever Wagtail makes of such a port

    def match(site):
        if site.hostname == hostname and site.port == port:
            return MATCH_HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return MATCH_HOSTNAME_DEFAULT
        if site.is_default_site:
            return MATCH_DEFAULT
        return MATCH_HOSTNAME

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=match
    )
    if not candidates:
        return None
    if len(candidates) == 1 or match(candidates[0]) in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return candidates[0]
    if match(candidates[0]) == MATCH_DEFAULT:
        return candidates[len(candidates) == 2]
    return None


def _content_language(code):
    try:
        return get_supported_content_language_variant(code)
    except LookupError:
        return None


def _localized(roots):
    """What ``root_page.localized`` returns, read from the root page's translations."""
    root = roots.site.root_page
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return root
    if roots.translations is None:
        return root.localized
    by_language = {page.locale.language_code: page for page in roots.translations}
    active = _content_language(translation.get_language())
    default = _content_language(settings.LANGUAGE_CODE)
    if active in by_language:
        draft = by_language[active]
    elif default is None or default not in by_language or by_language[default].pk == root.pk:
        # Whether or not the reader's locale exists, Wagtail falls back to the root page itself.
        draft = root
    elif active is None:
        draft = by_language[default]  # an unsupported language reads the default locale's page
    else:
        # Only the database knows whether the reader's locale exists (its page is the root page)
        # or not (its page is the default locale's).
        return root.localized
    if draft.pk == root.pk:
        return root
    return draft if draft.live else root
