"""The lookups a page request shares (site, root paths, home page, lineage, view restrictions, public
children and siblings) give exactly what Wagtail's own lookups give."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

from home import page_tree, routing, sites
from tests.factories import sync_language_trees, translate_page

pytestmark = pytest.mark.django_db


def request_for(host="localhost", port="80"):
    request = RequestFactory().get("/", HTTP_HOST=host)
    request.META["SERVER_PORT"] = port
    return request


def route(path, language="en"):
    request = request_for()
    with translation.override(language):
        return request, routing.route_by_path(request, path)


def test_the_site_and_root_paths_are_wagtails(site_tree):
    Site.objects.create(hostname="other.example", port=80, root_page=site_tree.courses)
    Site.objects.create(hostname="other.example", port=8080, root_page=site_tree.glossary)
    Site.objects.create(hostname="third.example", port=8080, root_page=site_tree.library)
    translate_page(site_tree.home, "uk", title="Кампус")
    cases = [("localhost", "80"), ("other.example", "80"), ("other.example", "8080"), ("other.example", "81"),
             ("third.example", "8080"), ("third.example", "80"), ("unknown.example", "80")]
    for host, port in cases:
        cache.clear()
        expected_paths = Site.get_site_root_paths()
        cache.clear()
        request = request_for(host, port)
        assert sites.site_roots(request).site == Site._find_for_request(request_for(host, port)), (host, port)
        assert request._wagtail_cached_site_root_paths == expected_paths
        # Wagtail's own code reads what was found rather than asking again.
        with CaptureQueriesContext(connection) as queries:
            assert Site.find_for_request(request) == sites.site_roots(request).site
            site_tree.courses.get_url(request)
        assert len(queries) == 0


def test_without_a_default_site_an_unknown_host_has_none(site_tree):
    Site.objects.update(is_default_site=False)
    assert sites.site_roots(request_for("unknown.example")).site is None


def test_the_readers_home_page_is_wagtails_localized_root_page(site_tree):
    translate_page(site_tree.home, "uk", title="Кампус")
    draft = translate_page(site_tree.home, "ru", title="Кампус")
    draft.unpublish()
    sync_language_trees("ka")  # an alias of the home page
    for language in [code for code, _ in settings.LANGUAGES] + ["de", "en-gb", "uk-ua"]:
        with translation.override(language):
            expected = Site.objects.get(is_default_site=True).root_page.localized
            cache.clear()
            assert sites.localized_root(request_for()).pk == expected.pk, language


def test_the_source_language_is_the_default_locales(site_tree):
    request = request_for()
    sites.site_roots(request)
    with CaptureQueriesContext(connection) as queries:
        assert sites.default_language_code(request) == "en"
    assert len(queries) == 0


def test_a_routed_page_knows_its_ancestors_and_parent(course_tree):
    lecture = course_tree.lectures[0]
    request, result = route(lecture.url.split("/", 2)[2])
    assert result.page.pk == lecture.pk
    with CaptureQueriesContext(connection) as queries:
        lineage = page_tree.lineage(request, result.page)
        parent = result.page.get_parent()
    assert len(queries) == 0
    assert [page.pk for page in lineage] == [page.pk for page in lecture.get_ancestors(inclusive=True)]
    assert parent.pk == lecture.get_parent().pk


def test_the_site_root_routes_to_the_readers_home_page(site_tree):
    translate_page(site_tree.home, "uk", title="Кампус")
    for language in ("en", "uk", "ka"):
        _, result = route("", language)
        with translation.override(language):
            walked = Page.route_for_request(request_for(), "")
        assert result.page.pk == walked[0].pk and type(result.page) is type(walked[0])
    site_tree.home.unpublish()
    assert route("", "en")[1] is None


def restrictions_as_wagtail_sees_them(page):
    return [restriction.pk for restriction in Page.get_view_restrictions(page)]


def test_view_restrictions_are_wagtails_for_pages_and_their_aliases(course_tree):
    module, lecture = course_tree.modules[0], course_tree.lectures[0]
    translate_page(lecture, "uk", title="Лекція")
    sync_language_trees("ro")
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=course_tree.lectures[4], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret")
    pages = [course_tree.course, *course_tree.modules, *course_tree.lectures]
    locales = Locale.objects.filter(language_code__in=["uk", "ro"])
    pages += [page.get_translation(locale) for page in pages for locale in locales
              if page.get_translation_or_none(locale) is not None]
    restricted_aliases = 0
    for page in pages:
        page = page.specific
        request = request_for()
        expected = restrictions_as_wagtail_sees_them(page)
        assert [r.pk for r in page_tree.view_restrictions(request, page)] == expected, page.url_path
        restricted_aliases += bool(page.alias_of_id and expected)
    assert restricted_aliases


def test_a_private_page_stays_private_when_routed_directly(client, course_tree):
    module = course_tree.modules[0]
    sync_language_trees("ro")
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)
    for url in (course_tree.lectures[0].url, course_tree.lectures[0].url.replace("/en/", "/ro/", 1)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert client.get(course_tree.lectures[3].url).status_code == 200


@pytest.mark.parametrize("restricted", ["none", "home", "course", "module", "lecture"])
def test_public_children_are_what_public_gives(course_tree, site_tree, restricted):
    target = {"home": site_tree.home, "course": course_tree.course, "module": course_tree.modules[0],
              "lecture": course_tree.lectures[1]}.get(restricted)
    if target is not None:
        PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
    for parent in (site_tree.home, site_tree.courses, course_tree.course, course_tree.modules[0]):
        assert list(page_tree.public_children(parent)) == list(parent.get_children().public())
