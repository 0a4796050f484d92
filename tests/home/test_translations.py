"""Language-prefixed URLs, the language switcher and the missing-translation notice."""

import pytest

from tests.factories import sync_language_trees, translate_page

pytestmark = pytest.mark.django_db


def test_root_redirects_to_a_language_prefix(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 302
    assert response["Location"] == "/uk/"


def test_translated_lecture_is_served_in_its_language(client, course_tree):
    lecture = course_tree.lectures[0]
    translated = translate_page(lecture, "uk", title="Чому контролюють торгівлю")
    response = client.get(translated.url)
    html = response.content.decode()
    assert translated.url.startswith("/uk/")
    assert '<html lang="uk">' in html
    assert "Чому контролюють торгівлю" in html
    assert 'data-testid="translation-notice"' not in html


def test_language_switcher_links_to_the_translation(client, course_tree):
    lecture = course_tree.lectures[0]
    translated = translate_page(lecture, "uk", title="Чому контролюють торгівлю")
    html = client.get(lecture.url).content.decode()
    assert f'href="{translated.url}" hreflang="uk"' in html
    # Every site language is offered, the current one marked.
    for code in ("ru", "ro", "ka", "az", "hy", "kk", "ky"):
        assert f'hreflang="{code}"' in html
    assert '<span aria-current="true" lang="en">' in html


@pytest.mark.parametrize("with_aliases", [True, False], ids=["alias-tree", "no-language-tree"])
def test_missing_translation_shows_source_with_notice_not_404(client, course_tree, with_aliases):
    lecture = course_tree.lectures[0]
    if with_aliases:
        sync_language_trees("ro")
    english_html = client.get(lecture.url).content.decode()
    switch_to = 'hreflang="ro"'
    assert switch_to in english_html
    response = client.get(lecture.url.replace("/en/", "/ro/", 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ro">' in html
    assert lecture.title in html
    assert 'data-testid="translation-notice"' in html


def test_a_page_that_exists_nowhere_is_still_404(client, site_tree):
    assert client.get("/ro/courses/nothing-here/").status_code == 404
    assert client.get("/en/courses/nothing-here/").status_code == 404


def test_private_source_page_stays_private_through_the_fallback(client, course_tree):
    from wagtail.models import PageViewRestriction

    lecture = course_tree.lectures[0]
    PageViewRestriction.objects.create(page=lecture, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lecture.url.replace("/en/", "/ka/", 1))
    assert response.status_code == 302
    assert "login" in response["Location"]
