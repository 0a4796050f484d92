"""The adoption pages as a coordinator uses them: adopt, follow the copy, record the status,
review upstream changes, pull and decline; and the master owners' overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from course import adoption as adoptions
from course.adoption_models import Adoption, PageLineage
from course.models import AccreditationRecord
from lessons.models import LecturePage
from tests.course.adoption_fixtures import adopt_now, edit_master, make_master
from tests.factories import make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(site_tree, cast):
    return make_master(site_tree, languages=False, owner=cast.ministry)


def test_the_course_page_offers_adoption_to_signed_in_readers_of_a_master(client, cast, master):
    client.force_login(cast.coordinator_a)
    response = client.get(master.course.url)
    assert reverse("adoptions:adopt", args=[master.course.pk]) in response.content.decode()
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    response = client.get(adoption.copy.url)
    assert response.status_code == 200
    assert reverse("adoptions:adopt", args=[adoption.copy.pk]) not in response.content.decode()
    client.logout()
    assert reverse("adoptions:adopt", args=[master.course.pk]) not in client.get(master.course.url).content.decode()


def test_a_coordinator_adopts_for_an_institution_they_coordinate(client, cast, master):
    client.force_login(cast.coordinator_a)
    url = reverse("adoptions:adopt", args=[master.course.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "University A" in page.content.decode() and "University B" not in page.content.decode()
    response = client.post(url, {"institution": cast.a.pk})
    adoption = Adoption.objects.get()
    assert response.status_code == 302 and response.url == reverse("adoptions:detail", args=[adoption.pk])
    assert adoption.copy_state == Adoption.CopyState.QUEUED
    status = client.get(response.url).content.decode()
    assert "<progress" in status and 'http-equiv="refresh"' in status
    adoptions.copy_course.call(adoption.pk)
    status = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' not in status
    assert reverse("wagtailadmin_pages:edit", args=[Adoption.objects.get().copy_id]) in status
    # Adopting again: nothing left to choose.
    assert "already adopted" in client.get(url).content.decode()


def test_adopting_for_someone_elses_institution_changes_nothing(client, cast, master):
    client.force_login(cast.coordinator_b)
    response = client.post(reverse("adoptions:adopt", args=[master.course.pk]), {"institution": cast.a.pk})
    assert response.status_code == 400
    assert "Choose one of the institutions you coordinate" in response.content.decode()
    assert not Adoption.objects.exists()


def test_a_copy_cannot_be_adopted(client, cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    client.force_login(cast.coordinator_b)
    assert client.get(reverse("adoptions:adopt", args=[adoption.copy.pk])).status_code == 404


def test_status_changes_make_a_history_and_accredited_needs_a_record(client, cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    AccreditationRecord.objects.filter(course=adoption.copy).delete()
    client.force_login(cast.coordinator_a)
    url = reverse("adoptions:status", args=[adoption.pk])
    today = timezone.localdate()
    response = client.post(url, {"status": "piloting", "changed_on": today, "note": "First cohort"})
    assert response.status_code == 302
    response = client.post(url, {"status": "accredited", "changed_on": today, "note": ""})
    assert response.status_code == 400
    assert "Add the accreditation record" in response.content.decode()
    adoption.refresh_from_db()
    assert adoption.status == "piloting"
    response = client.post(url, {"status": "delivering", "changed_on": today + timedelta(days=3)})
    assert response.status_code == 400 and "future" in response.content.decode()

    AccreditationRecord.objects.create(course=adoption.copy, agency="NAQA", decision_date=today)
    assert client.post(url, {"status": "accredited", "changed_on": today}).status_code == 302
    adoption.refresh_from_db()
    assert adoption.status == "accredited"
    assert list(adoption.history.values_list("status", flat=True)) == ["interested", "piloting", "accredited"]
    page = client.get(reverse("adoptions:detail", args=[adoption.pk])).content.decode()
    assert "NAQA" in page and "First cohort" in page
    # A step recorded later but dated earlier does not become the current status.
    client.post(url, {"status": "delivering", "changed_on": today - timedelta(days=10)})
    adoption.refresh_from_db()
    assert adoption.status == "accredited"


def test_upstream_changes_list_diff_pull_and_decline(client, cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    edit_master(master.lectures[0], title="Licensing basics")
    edit_master(master.lectures[1], title="Brokering")
    client.force_login(cast.coordinator_a)
    listing = client.get(reverse("adoptions:changes", args=[adoption.pk])).content.decode()
    assert "Licensing basics" in listing and "Brokering" in listing
    first = PageLineage.objects.get(adoption=adoption, source=master.lectures[0])
    diff = client.get(reverse("adoptions:change", args=[adoption.pk, first.pk])).content.decode()
    assert "<ins>Licensing basics</ins>" in diff
    response = client.post(reverse("adoptions:pull", args=[adoption.pk, first.pk]))
    assert response.status_code == 302
    assert LecturePage.objects.get(pk=first.page_id).title == "Licensing basics"
    second = PageLineage.objects.get(adoption=adoption, source=master.lectures[1])
    client.post(reverse("adoptions:decline", args=[adoption.pk, second.pk]))
    listing = client.get(reverse("adoptions:changes", args=[adoption.pk])).content.decode()
    assert "up to date" in listing


def test_a_locally_changed_page_needs_the_checkbox(client, cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    row = PageLineage.objects.get(adoption=adoption, source=master.lectures[0])
    local = LecturePage.objects.get(pk=row.page_id)
    local.title = "Our title"
    local.save_revision().publish()
    edit_master(master.lectures[0], title="Master title")
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("adoptions:change", args=[adoption.pk, row.pk])).content.decode()
    assert "Replace our local changes" in page and "What your institution changed" in page
    response = client.post(reverse("adoptions:pull", args=[adoption.pk, row.pk]))
    assert response.status_code == 400
    assert LecturePage.objects.get(pk=row.page_id).title == "Our title"
    response = client.post(reverse("adoptions:pull", args=[adoption.pk, row.pk]), {"replace_local_changes": "on"})
    assert response.status_code == 302
    assert LecturePage.objects.get(pk=row.page_id).title == "Master title"


def test_a_new_master_page_is_added_from_the_list(client, cast, master):
    from tests.factories import make_lecture

    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    new = make_lecture(master.modules[0], number=8, title="Sanctions screening")
    client.force_login(cast.coordinator_a)
    assert "Sanctions screening" in client.get(reverse("adoptions:changes", args=[adoption.pk])).content.decode()
    client.post(reverse("adoptions:pull_new", args=[adoption.pk, new.pk]))
    assert PageLineage.objects.filter(adoption=adoption, source=new).exists()


def test_the_master_owners_see_who_adopted_and_what_each_added(client, cast, master):
    from tests.factories import make_lecture, make_person

    a = adopt_now(cast.coordinator_a, master.course, cast.a)
    adopt_now(cast.coordinator_b, master.course, cast.b)
    module = PageLineage.objects.get(adoption=a, source=master.modules[0]).page.specific
    make_lecture(module, number=5, title="Ukrainian licensing law")
    row = PageLineage.objects.get(adoption=a, source=master.lectures[1])
    local = LecturePage.objects.get(pk=row.page_id)
    local.title = "Our take on brokering"
    local.save_revision().publish()
    edit_master(master.lectures[0], title="Renamed")
    owner = make_person()
    make_membership(owner, cast.ministry, "editor")
    client.force_login(owner)
    page = client.get(reverse("adoptions:adopters", args=[master.course.pk])).content.decode()
    assert "University A" in page and "University B" in page
    assert "Ukrainian licensing law" in page and "Our take on brokering" in page
    assert page.count('class="pending-count">1<') == 2


def test_a_reader_who_coordinates_nothing_is_told_who_may_adopt(client, cast, master):
    client.force_login(cast.student)
    response = client.get(reverse("adoptions:adopt", args=[master.course.pk]))
    assert response.status_code == 403
    assert "Only a coordinator of an institution" in response.content.decode()


def test_the_manage_page_leads_to_the_institutions_adoptions_and_no_others(client, cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    client.force_login(cast.coordinator_a)
    html = client.get(reverse("institutions:manage", args=["uni-a"])).content.decode()
    assert reverse("adoptions:detail", args=[adoption.pk]) in html
    assert reverse("adoptions:changes", args=[adoption.pk]) in html
    assert f'href="{adoption.copy.url}"' in html
    client.force_login(cast.coordinator_b)
    html = client.get(reverse("institutions:manage", args=["uni-b"])).content.decode()
    assert reverse("adoptions:detail", args=[adoption.pk]) not in html
    assert "No course adopted yet" in html


@pytest.mark.parametrize("name", ["adopt", "adopters"])
def test_a_course_id_too_large_for_the_database_is_not_found(client, cast, name):
    client.force_login(cast.superuser)
    response = client.get(f"/en/adoptions/course/{'9' * 23}/{name}/")
    assert response.status_code == 404


def test_a_failed_copy_says_so_in_the_readers_words_and_keeps_the_error_for_administrators(client, cast, master):
    adoption = adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    Adoption.objects.filter(pk=adoption.pk).update(
        copy_state=Adoption.CopyState.FAILED, copy_error="OperationalError: disk I/O error"
    )
    client.force_login(cast.coordinator_a)
    html = client.get(reverse("adoptions:detail", args=[adoption.pk])).content.decode()
    assert "The copy failed and was removed" in html and "Try the copy again" in html
    assert "OperationalError" not in html
    client.force_login(cast.superuser)
    html = client.get(reverse("adoptions:detail", args=[adoption.pk])).content.decode()
    assert "For the site's administrators: OperationalError: disk I/O error" in html


def test_a_new_master_page_can_be_left_out_and_added_later(client, cast, master):
    from tests.factories import make_lecture

    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    new = make_lecture(master.modules[0], number=8, title="Sanctions screening")
    client.force_login(cast.coordinator_a)
    url = reverse("adoptions:changes", args=[adoption.pk])
    response = client.post(reverse("adoptions:decline_new", args=[adoption.pk, new.pk]), follow=True)
    html = response.content.decode()
    assert "“Sanctions screening” stays out of your copy" in html
    assert "Leave “Sanctions screening” out of our copy" not in html  # no longer among the new pages
    assert "New master pages you left out" in html and "Add “Sanctions screening” to our copy" in html
    assert not PageLineage.objects.filter(adoption=adoption, source=new).exists()

    client.post(reverse("adoptions:pull_new", args=[adoption.pk, new.pk]))
    assert PageLineage.objects.filter(adoption=adoption, source=new).exists()
    assert "New master pages you left out" not in client.get(url).content.decode()


def test_the_master_owners_see_which_version_each_adopter_runs(client, cast, master):
    from django.utils import dateformat, formats

    from course import lineage as lineages

    a = adopt_now(cast.coordinator_a, master.course, cast.a)
    b = adopt_now(cast.coordinator_b, master.course, cast.b)
    edited = edit_master(master.lectures[0], title="Renamed")
    lineages.pull(cast.coordinator_a, PageLineage.objects.get(adoption=a, source=master.lectures[0]))
    client.force_login(cast.superuser)
    html = client.get(reverse("adoptions:adopters", args=[master.course.pk])).content.decode()
    sections = {adoption.institution.name: html.split(f'id="adopter-{adoption.pk}"')[1][:1500] for adoption in (a, b)}
    edited_on = dateformat.format(timezone.localtime(edited.last_published_at), formats.get_format("DATE_FORMAT"))
    assert "The current master" in sections["University A"]
    assert f"The master as it was before {edited_on}" in sections["University B"]
    assert "The current master" not in sections["University B"]
