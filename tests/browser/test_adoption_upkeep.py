"""A coordinator keeps an adopted course up: records the adoption's status over time (accredited
only once the copy has an accreditation record, added in the admin), and works through the
upstream changes of the master: pulls a change over a locally edited page (only when told to
replace the local edit), declines another, and adds a page new in the master to the copy."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from course.adoption_models import Adoption, PageLineage
from course.models import AccreditationRecord, CoursePage
from lessons.models import LecturePage
from tests.browser.test_offerings import signed_in
from tests.cast import make_cast
from tests.course.adoption_fixtures import adopt_now, edit_master, make_master
from tests.factories import make_lecture, make_site

pytestmark = pytest.mark.browser


def adopted():
    """The cast, a master course of two modules, and University A's adoption of it, copied at once."""
    tree = make_site()
    cast = make_cast(tree)
    master = make_master(tree, languages=False, owner=cast.ministry)
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    assert adoption.copy_state == Adoption.CopyState.DONE
    return cast, master, adoption


def copy_of(adoption, source):
    return LecturePage.objects.get(pk=PageLineage.objects.get(adoption=adoption, source=source).page_id)


def open_adoption(browser, site, cast):
    """The coordinator goes from their institution's management page to the adoption."""
    as_coordinator = signed_in(browser, site, cast.coordinator_a)
    as_coordinator.goto(f"{site}/en/institutions/uni-a/manage/")
    as_coordinator.locator(".adoptions-panel").get_by_role("link", name="Export Controls").click()
    expect(as_coordinator.get_by_role("heading", level=1)).to_have_text("Export Controls at University A")
    return as_coordinator


def record(page, status, note=""):
    page.get_by_label("New status").select_option(label=status)
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Record the status").click()


def test_a_coordinator_records_the_status_and_accredited_needs_a_record_on_the_copy(browser, site):
    cast, master, adoption = adopted()
    page = open_adoption(browser, site, cast)
    expect(page.locator(".adoption-status")).to_have_text("Interested")
    expect(page.get_by_text("No accreditation is recorded on the copy yet.")).to_be_visible()

    record(page, "Piloting", note="First cohort of the master's programme")
    expect(page.get_by_role("status").first).to_contain_text("The adoption is now “Piloting”.")
    expect(page.locator(".adoption-status")).to_have_text("Piloting")
    history = page.locator("ol.status-history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Piloting")
    expect(history.first).to_contain_text("First cohort of the master's programme")

    # Accredited, while the copy has no accreditation record: refused, and the page says why.
    record(page, "Accredited")
    expect(page.get_by_role("alert").first).to_contain_text("The status was not changed.")
    expect(page.locator(".status-form")).to_contain_text(
        "Add the accreditation record (agency, decision date) to your copy of the course before recording "
        "the adoption as accredited."
    )
    expect(page.locator(".adoption-status")).to_have_text("Piloting")
    assert Adoption.objects.get(pk=adoption.pk).status == Adoption.Status.PILOTING
    assert list(adoption.history.order_by("recorded_at", "pk").values_list("status", flat=True)) == [
        "interested", "piloting",
    ]

    # The coordinator adds the record to the copy in the admin, as the page suggests.
    page.get_by_role("link", name="Add or change accreditation records (on the copy, in the admin)").click()
    page.get_by_role("button", name="Add Accreditation records").click()
    page.get_by_role("textbox", name=re.compile(r"^Decision date")).fill("2026-06-30")
    # Clicking the fields above closes the date picker the date field opened below itself.
    agency = page.get_by_role("textbox", name=re.compile(r"^Agency"))
    agency.click()
    agency.fill("National Agency for Higher Education Quality")
    page.get_by_role("textbox", name=re.compile(r"^Programme")).fill("MSc International Security")
    expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(0)
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("has been published.")
    record_row = AccreditationRecord.objects.get(course=adoption.copy_id)
    assert (record_row.agency, record_row.decision_date) == (
        "National Agency for Higher Education Quality", date(2026, 6, 30)
    )
    assert AccreditationRecord.objects.filter(course=master.course).count() == 1  # the master's own only

    page.goto(f"{site}/en/adoptions/{adoption.pk}/")
    expect(page.locator("ul.accreditations")).to_contain_text(
        "National Agency for Higher Education Quality, MSc International Security"
    )
    record(page, "Accredited", note="Certified within the MSc")
    expect(page.get_by_role("status").first).to_contain_text("The adoption is now “Accredited”.")
    expect(page.locator(".adoption-status")).to_have_text("Accredited")
    expect(history).to_have_count(3)
    adoption = Adoption.objects.get(pk=adoption.pk)
    assert adoption.status == Adoption.Status.ACCREDITED
    steps = list(adoption.history.order_by("recorded_at", "pk").values_list("status", "changed_on", "note"))
    assert [status for status, _on, _note in steps] == ["interested", "piloting", "accredited"]
    assert steps[-1][1:] == (timezone.localdate(), "Certified within the MSc")
    page.context.close()


def test_pulling_over_a_local_edit_needs_the_replace_box(browser, site):
    cast, master, adoption = adopted()
    ours = edit_master(copy_of(adoption, master.lectures[0]), title="Licensing in Ukraine")
    edit_master(master.lectures[0], title="Licensing and catch-all controls")

    page = open_adoption(browser, site, cast)
    page.get_by_role("link", name=re.compile(r"^Upstream changes: 1 waiting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upstream changes")
    row = page.locator("tr.upstream-change")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Changed locally")
    row.get_by_role("link", name="Licensing and catch-all controls").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes to “Licensing in Ukraine”")
    expect(page.get_by_role("heading", name="What your institution changed")).to_be_visible()

    # Without the box ticked the pull is refused and the copy keeps its title.
    replace = page.get_by_label("Replace our local changes")
    expect(replace).not_to_be_checked()
    page.get_by_role("button", name="Pull this change").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Your institution changed this page since it was last synced. Tick “Replace our local changes”"
    )
    assert LecturePage.objects.get(pk=ours.pk).title == "Licensing in Ukraine"

    replace.check()
    page.get_by_role("button", name="Pull this change").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "“Licensing and catch-all controls” now has the master's content."
    )
    expect(page.get_by_text("Your copy is up to date with the master.")).to_be_visible()
    pulled = LecturePage.objects.get(pk=ours.pk)
    assert pulled.title == "Licensing and catch-all controls" and pulled.live
    assert pulled.get_parent().get_parent().pk == adoption.copy_id  # still in the copy, not moved
    lineage = PageLineage.objects.get(adoption=adoption, source=master.lectures[0])
    assert lineage.synced_revision_id == LecturePage.objects.get(pk=master.lectures[0].pk).live_revision_id
    page.context.close()


def test_a_declined_change_leaves_the_list_and_the_copy_as_it_is(browser, site):
    cast, master, adoption = adopted()
    ours = copy_of(adoption, master.lectures[1])
    before = (ours.title, list(ours.body.raw_data))
    source = edit_master(master.lectures[1], title="Brokering controls",
                  body=[("text", "<p>Brokers need a licence wherever the goods are.</p>")])

    page = open_adoption(browser, site, cast)
    page.get_by_role("link", name=re.compile(r"^Upstream changes: 1 waiting")).click()
    row = page.locator("tr.upstream-change")
    expect(row).to_contain_text("As synced")
    row.get_by_role("link", name="Brokering controls").click()
    title_diff = page.locator(".diff-field").filter(has=page.get_by_text("Title", exact=True))
    expect(title_diff.locator("ins")).to_contain_text("Brokering")
    page.get_by_role("button", name="Decline, keep our version").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"“{before[0]}” keeps your version; the change is no longer listed."
    )
    expect(page.locator("tr.upstream-change")).to_have_count(0)
    expect(page.get_by_text("Your copy is up to date with the master.")).to_be_visible()

    kept = LecturePage.objects.get(pk=ours.pk)
    assert (kept.title, list(kept.body.raw_data)) == before
    assert PageLineage.objects.get(adoption=adoption, source=source).declined_revision_id == source.live_revision_id
    page.goto(f"{site}/en/adoptions/{adoption.pk}/")
    expect(page.get_by_role("link", name=re.compile(r"^Upstream changes: 0 waiting"))).to_be_visible()
    page.context.close()


def test_a_page_new_in_the_master_is_added_to_the_copy_from_the_list(browser, site):
    cast, master, adoption = adopted()
    new = make_lecture(master.modules[1], number=5, title="Sanctions screening", slug="sanctions-screening")
    new.save_revision().publish()

    page = open_adoption(browser, site, cast)
    page.get_by_role("link", name=re.compile(r"^Upstream changes: 1 waiting")).click()
    new_pages = page.locator("ul.new-pages li")
    expect(new_pages).to_have_count(1)
    expect(new_pages).to_contain_text("Sanctions screening")
    page.get_by_role("button", name="Add “Sanctions screening” to our copy").click()
    expect(page.get_by_role("status").first).to_contain_text("“Sanctions screening” has been added to your copy.")
    expect(page.locator("ul.new-pages")).to_have_count(0)

    added = copy_of(adoption, new)
    module_copy = PageLineage.objects.get(adoption=adoption, source=master.modules[1]).page
    assert added.get_parent().pk == module_copy.pk and added.live
    assert LecturePage.objects.filter(title="Sanctions screening").count() == 2  # the master's and the copy's

    # The coordinator finds it on the copy: from the adoption, to the copy, to its second module.
    page.get_by_role("link", name="Export Controls · University A").click()
    page.get_by_role("link", name="See the copy on the site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export Controls")
    assert page.url.rstrip("/").endswith(CoursePage.objects.get(pk=adoption.copy_id).url.rstrip("/"))
    page.get_by_role("link", name=re.compile(rf"^Module 2: {re.escape(module_copy.title)}")).click()
    page.get_by_role("link", name="Sanctions screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanctions screening")
    assert page.url.rstrip("/").endswith(added.url.rstrip("/"))
    page.context.close()
