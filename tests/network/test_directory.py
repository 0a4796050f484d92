"""The network directory lists every institution, searchable and filterable, in the reader's
language; every institution gets a profile page."""

import pytest
from wagtail.models import Locale

from network.directory import publish_profile
from network.models import Institution, InstitutionPage
from tests.factories import make_institution, make_institution_page, sync_language_trees, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def network(site_tree):
    kyiv = make_institution(name="Dnipro Valley University", short_name="dnipro", country="UA", city="Dnipro")
    customs = make_institution(
        name="Codru Customs Service", short_name="codru", country="MD", city="Chișinău", kind=Institution.Kind.CUSTOMS
    )
    bare = make_institution(name="Sevan Lakeside University", short_name="sevan", country="AM", city="Yerevan")
    page = make_institution_page(site_tree, kyiv)
    make_institution_page(site_tree, customs)
    return site_tree, kyiv, customs, bare, page


def names(response):
    return [entry.name for entry in response.context["entries"]]


def test_lists_every_institution_with_a_link_to_its_profile(client, network):
    site, kyiv, customs, bare, page = network
    response = client.get(site.network.url)
    assert response.status_code == 200
    assert names(response) == ["Codru Customs Service", "Dnipro Valley University", "Sevan Lakeside University"]
    html = response.content.decode()
    assert f'href="{page.url}"' in html
    assert "Sevan Lakeside University" in html and "Armenia" in html and "Government: customs" in html
    assert 'href="/en/ecosystem/"' in html  # the way on to how the institutions are linked


@pytest.mark.parametrize("query, expected", [
    ("q=dnipro", ["Dnipro Valley University"]),
    ("q=YEREVAN", ["Sevan Lakeside University"]),
    ("q=codru", ["Codru Customs Service"]),
    ("country=MD", ["Codru Customs Service"]),
    ("kind=customs", ["Codru Customs Service"]),
    ("kind=university&country=AM", ["Sevan Lakeside University"]),
])
def test_search_and_filters(client, network, query, expected):
    assert names(client.get(f"{network[0].network.url}?{query}")) == expected


def test_the_translated_title_is_searched_and_shown(client, network):
    site, kyiv, customs, bare, page = network
    sync_language_trees("uk")
    translate_page(page, "uk", title="Університет Долини Дніпра")
    response = client.get("/uk/network/?q=Долини")
    assert names(response) == ["Dnipro Valley University"]
    html = response.content.decode()
    assert "Університет Долини Дніпра" in html and 'href="/uk/network/dnipro/"' in html
    # Untranslated pages show the source title, linked in the reader's tree.
    response = client.get("/uk/network/?q=codru")
    assert [entry.display_name for entry in response.context["entries"]] == ["Codru Customs Service"]
    assert 'href="/uk/network/codru/"' in response.content.decode()


def test_countries_are_named_in_the_readers_language(client, network):
    sync_language_trees("uk")
    html = client.get("/uk/network/").content.decode()
    assert "Вірменія" in html and "Молдова" in html
    choices = dict(client.get("/uk/network/").context["filter_form"].fields["country"].choices)
    assert set(choices) == {"", "UA", "MD", "AM"}


def test_nothing_matches_shows_an_empty_state_with_a_way_back(client, network):
    response = client.get(f"{network[0].network.url}?q=zzzz")
    html = response.content.decode()
    assert "No institution matches these filters." in html
    assert f'href="{network[0].network.url}">Clear the filters and show every institution' in html


def test_an_unknown_filter_value_is_reported_and_ignored(client, network):
    response = client.get(f"{network[0].network.url}?kind=spaceport")
    assert len(names(response)) == 3
    assert "Some filters were not understood" in response.content.decode()


def test_pages_of_24(client, site_tree):
    for n in range(30):
        make_institution(name=f"Institute {n:02d}")
    first = client.get(site_tree.network.url)
    assert len(first.context["entries"]) == 24 and 'rel="next"' in first.content.decode()
    second = client.get(f"{site_tree.network.url}?page=2")
    assert len(second.context["entries"]) == 6


def test_publish_profile_makes_one_live_page_under_the_directory(site_tree):
    institution = make_institution(name="Tien Shan Centre", short_name="tienshan")
    page = publish_profile(institution)
    assert page.live and page.get_parent().pk == site_tree.network.pk and page.title == "Tien Shan Centre"
    assert publish_profile(institution) == page
    assert InstitutionPage.objects.filter(institution=institution).count() == 1


def test_publish_profile_follows_the_language_trees_already_synchronised(site_tree):
    from wagtail_localize.models import LocaleSynchronization

    sync_language_trees("ka")
    LocaleSynchronization.objects.create(locale=Locale.objects.get(language_code="ka"), sync_from=Locale.get_default())
    page = publish_profile(make_institution(short_name="mtkvari"))
    alias = InstitutionPage.objects.get(translation_key=page.translation_key, locale__language_code="ka")
    assert alias.alias_of_id == page.pk and alias.url == "/ka/network/mtkvari/"


def test_publish_profile_takes_a_free_slug(site_tree):
    taken = make_institution(short_name="prut")
    make_institution_page(site_tree, taken)
    other = make_institution(short_name="prut-2")
    InstitutionPage.objects.filter(institution=taken).update(slug="prut-2")
    assert publish_profile(other).slug == "prut-2-2"


def test_creating_an_institution_in_the_admin_publishes_its_profile(client, cast):
    client.force_login(cast.superuser)
    response = client.post("/admin/snippets/network/institution/add/", {
        "name": "Kura Valley Chemical Producers", "short_name": "kura", "kind": "industry", "country": "AZ",
        "city": "Baku", "website": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    institution = Institution.objects.get(short_name="kura")
    assert InstitutionPage.objects.get(institution=institution, locale=Locale.get_default()).live
