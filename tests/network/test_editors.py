"""An institution's editors keep its profile page (in every language) and nothing of another
institution; which institution a page presents stays out of their hands."""

import pytest
from django.test import Client
from django.urls import reverse

from network.models import InstitutionPage, Membership
from tests.factories import make_membership, make_person, sync_language_trees, translate_page

pytestmark = pytest.mark.django_db


def editor_of(institution):
    editor = make_person(display_name="Editor", institution=institution)
    make_membership(editor, institution, Membership.Role.EDITOR)
    client = Client()
    client.force_login(editor)
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_an_institutions_editors_edit_its_profile_page_in_every_language(cast):
    sync_language_trees("uk")
    translated = translate_page(cast.pages.a, "uk", title="Університет А")
    later = translate_page(cast.pages.a, "ro", title="Universitatea A")  # after the editor group exists
    client = editor_of(cast.a)
    for page in (cast.pages.a, translated, later):
        response = client.get(edit_url(page))
        assert response.status_code == 200, page.locale
        assert 'name="institution"' not in response.content.decode()
    for page in (cast.pages.b, cast.pages.b.get_parent()):
        response = client.get(edit_url(page))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_an_editor_cannot_hand_the_profile_page_to_another_institution(cast, site_tree):
    from tests.factories import make_institution

    unlisted = make_institution(name="No page yet", short_name="no-page")
    client = editor_of(cast.a)
    page = InstitutionPage.objects.get(pk=cast.pages.a.pk)
    response = client.post(edit_url(page), {
        "title": "University A", "slug": page.slug, "institution": unlisted.pk,
        "about": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Founded in 1898.", "depth": 0, '
                 '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "action-publish": "publish",
        "comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0,
        "comments-MIN_NUM_FORMS": 0, "comments-MAX_NUM_FORMS": 1000,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    page = InstitutionPage.objects.get(pk=cast.pages.a.pk)
    assert "Founded in 1898." in page.about and page.institution_id == cast.a.pk


def test_the_management_page_leads_to_the_profile_page_in_the_admin(cast):
    client = Client()
    client.force_login(cast.coordinator_a)
    html = client.get(reverse("institutions:manage", args=["uni-a"])).content.decode()
    assert f'href="{edit_url(cast.pages.a)}"' in html
    assert client.get(edit_url(cast.pages.a)).status_code == 200


def png(name="logo.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_institutions_editors_put_media_in_its_own_collection_only(cast):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from network import editors

    editors.editor_group(cast.b)
    cast.a.refresh_from_db()
    cast.b.refresh_from_db()
    client = editor_of(cast.a)
    # One collection of their own: the form offers no other (nor any choice at all).
    assert 'name="collection"' not in client.get(reverse("wagtailimages:add")).content.decode()

    images = get_image_model().objects
    for n, elsewhere in enumerate((cast.b.collection_id, Collection.get_first_root_node().pk)):
        client.post(reverse("wagtailimages:add"), {"title": f"Tampered {n}", "file": png(), "collection": elsewhere})
        assert images.get(title=f"Tampered {n}").collection_id == cast.a.collection_id
    assert not images.filter(collection_id=cast.b.collection_id).exists()

    theirs = images.create(title="B's logo", file=png("b.png"), collection_id=cast.b.collection_id)
    response = client.get(reverse("wagtailimages:edit", args=[theirs.pk]))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert "B&#x27;s logo" not in client.get(reverse("wagtailimages:index")).content.decode()
