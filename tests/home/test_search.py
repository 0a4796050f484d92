import pytest

from tests.factories import make_lecture, make_term, translate_page, translate_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def searchable(course_tree):
    module = course_tree.modules[0]
    lecture = make_lecture(
        module,
        number=7,
        title="Catch-all controls in practice",
        body=[("text", "<p>Licensing authorities can require a licence for unlisted items.</p>")],
    )
    translate_page(lecture, "uk", title="Всеохопний контроль на практиці")
    term = make_term("Catch-all control", definition="<p>Control of items not on a list.</p>")
    translate_term(term, "uk", term="Всеохопний контроль", definition="<p>Контроль товарів поза списками.</p>")
    return lecture


def test_search_finds_lectures_and_glossary_terms(client, searchable):
    html = client.get("/en/search/", {"q": "catch-all"}).content.decode()
    assert "Catch-all controls in practice" in html
    assert "Catch-all control" in html


def test_search_is_limited_to_the_current_language(client, searchable):
    html = client.get("/uk/search/", {"q": "Всеохопний"}).content.decode()
    assert "Всеохопний контроль на практиці" in html
    assert "Catch-all controls in practice" not in html
    english = client.get("/en/search/", {"q": "Всеохопний"}).content.decode()
    assert "Всеохопний контроль на практиці" not in english


def test_search_by_body_text(client, searchable):
    html = client.get("/en/search/", {"q": "unlisted"}).content.decode()
    assert "Catch-all controls in practice" in html


def test_empty_and_unmatched_searches_explain_themselves(client, searchable):
    assert "Type a word to search" in client.get("/en/search/").content.decode()
    html = client.get("/en/search/", {"q": "qwertyuiop"}).content.decode()
    assert "Nothing matches" in html


def test_search_rejects_post(client, searchable):
    assert client.post("/en/search/", {"q": "x"}).status_code == 405
