import pytest
from django.core.exceptions import ValidationError

from lessons.models import Resource
from tests.factories import make_resource, translate_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(site_tree):
    make_resource(
        "Model ICP guidelines", kind=Resource.Kind.GUIDELINE, languages=["en", "ru"], countries=["KZ"], tags=["icp"]
    )
    make_resource(
        "Commodity identification app",
        kind=Resource.Kind.APP,
        languages=["hy", "en", "ru"],
        countries=["AM"],
        tags=["customs"],
    )
    make_resource(
        "Regional handbook", kind=Resource.Kind.HANDBOOK, languages=["en"], countries=["MD", "GE", "UA", "AZ"]
    )
    return site_tree


def titles(response):
    html = response.content.decode()
    return {t for t in ("Model ICP guidelines", "Commodity identification app", "Regional handbook") if t in html}


def test_library_lists_every_resource(client, library):
    assert titles(client.get("/en/resources/")) == {
        "Model ICP guidelines",
        "Commodity identification app",
        "Regional handbook",
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "app"}, {"Commodity identification app"}),
        ({"language": "ru"}, {"Model ICP guidelines", "Commodity identification app"}),
        ({"language": "hy"}, {"Commodity identification app"}),
        ({"country": "UA"}, {"Regional handbook"}),
        ({"tag": "icp"}, {"Model ICP guidelines"}),
        ({"language": "en", "country": "AM"}, {"Commodity identification app"}),
        ({"q": "handbook"}, {"Regional handbook"}),
    ],
)
def test_filters_combine(client, library, params, expected):
    assert titles(client.get("/en/resources/", params)) == expected


def test_unknown_filter_value_is_reported_and_ignored(client, library):
    response = client.get("/en/resources/", {"kind": "weapon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters were not understood" in html
    assert titles(response) == {"Model ICP guidelines", "Commodity identification app", "Regional handbook"}


def test_no_match_says_so(client, library):
    assert "No resource matches these filters." in client.get("/en/resources/", {"country": "FR"}).content.decode()


def test_resource_needs_a_file_or_a_link(site_tree):
    resource = Resource(title="Nothing to download", kind=Resource.Kind.REPORT)
    with pytest.raises(ValidationError, match="file or a link"):
        resource.full_clean()


def test_translated_resource_replaces_the_source_in_its_language(client, library):
    from tests.factories import sync_language_trees

    sync_language_trees("ru")
    source = Resource.objects.get(title="Regional handbook")
    translate_term(source, "ru", title="Региональный справочник")
    html = client.get("/ru/resources/").content.decode()
    assert "Региональный справочник" in html
    assert "Regional handbook" not in html
    assert "Model ICP guidelines" in html  # not translated: shown in English
