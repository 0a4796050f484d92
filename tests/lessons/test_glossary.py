import pytest

from tests.factories import make_term, translate_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(site_tree):
    dual_use = make_term(
        "Dual-use item", control_codes="1C351", definition="<p>Goods with civil and military uses.</p>"
    )
    translate_term(
        dual_use,
        "uk",
        term="Товари подвійного використання",
        definition="<p>Товари цивільного і військового призначення.</p>",
    )
    make_term("Brokering", definition="<p>Arranging transactions between third countries.</p>")
    make_term("End-user certificate", definition="<p>A document naming the final recipient.</p>")
    return site_tree


def test_glossary_lists_terms_alphabetically(client, terms):
    html = client.get("/en/glossary/").content.decode()
    assert html.index("Brokering") < html.index("Dual-use item") < html.index("End-user certificate")
    assert "3 terms." in html


def test_glossary_search_by_word_prefix_and_code(client, terms):
    html = client.get("/en/glossary/", {"q": "broker"}).content.decode()
    assert "Brokering" in html and "Dual-use item" not in html
    html = client.get("/en/glossary/", {"q": "1C351"}).content.decode()
    assert "Dual-use item" in html and "Brokering" not in html


def test_glossary_search_in_ukrainian_is_case_insensitive_and_falls_back(client, terms):
    from tests.factories import sync_language_trees

    sync_language_trees("uk")
    html = client.get("/uk/glossary/", {"q": "ТОВАРИ"}).content.decode()
    assert "Товари подвійного використання" in html
    # Terms without a Ukrainian translation are still listed, in English.
    html = client.get("/uk/glossary/").content.decode()
    assert "Brokering" in html and "Dual-use item" not in html


def test_glossary_search_without_matches_says_so(client, terms):
    html = client.get("/en/glossary/", {"q": "zzzz"}).content.decode()
    assert "No term matches your search." in html


def test_glossary_ignores_an_overlong_or_odd_query(client, terms):
    response = client.get("/en/glossary/", {"q": "x" * 5000, "page": "not-a-number"})
    assert response.status_code == 200
