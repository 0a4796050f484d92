import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page

from home import routing
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


def wagtail_walk(path, language):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with translation.override(language):
        return Page.route_for_request(request, path)


def by_path(path, language):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with translation.override(language):
        return routing.route_by_path(request, path)


def test_direct_lookup_finds_what_the_tree_walk_finds(course_tree):
    translate_page(course_tree.lectures[0], "uk", title="Лекція")
    for page in [course_tree.course, *course_tree.modules, *course_tree.lectures]:
        path = page.url.split("/", 2)[2]  # drop the language prefix
        for language in ("en", "uk"):
            walked, direct = wagtail_walk(path, language), by_path(path, language)
            if walked is None:
                assert direct is None
            else:
                assert direct is not None and direct.page.pk == walked[0].pk
                assert type(direct.page) is type(walked[0])


def test_drafts_and_unknown_paths_are_left_to_wagtail(course_tree):
    module = course_tree.modules[0]
    path = module.url.split("/", 2)[2]
    module.unpublish()
    assert by_path(path, "en") is None
    assert by_path("courses/nowhere/", "en") is None


def test_a_page_type_with_its_own_routing_turns_the_shortcut_off(course_tree, monkeypatch):
    class RoutingPage(Page):
        class Meta:
            abstract = True

        def route(self, request, path_components):
            return super().route(request, path_components)

    monkeypatch.setattr(routing, "get_page_models", lambda: [*Page.__subclasses__(), RoutingPage])
    routing.pages_route_by_path.cache_clear()
    try:
        assert by_path(course_tree.lectures[0].url.split("/", 2)[2], "en") is None
    finally:
        routing.pages_route_by_path.cache_clear()
