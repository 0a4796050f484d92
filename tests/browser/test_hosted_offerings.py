"""A coordinator of a university goes from its management page to a new offering of a course: an
extra-mural run with a partner university, in the partner's time zone. A start after the end is
refused with a clear message and creates nothing; the offering, once created, is listed and
edited from the list."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from course.models import Offering
from tests.browser.test_offerings import signed_in
from tests.cast import make_cast
from tests.factories import make_course, make_site

pytestmark = pytest.mark.browser


def test_a_coordinator_creates_lists_and_edits_an_extra_mural_offering(browser, site):
    tree = make_site()
    cast = make_cast(tree)
    make_course(tree, modules=1, lectures_per_module=1, title="Export Controls")
    today = timezone.localdate()
    starts, ends = today + timedelta(days=20), today + timedelta(days=80)

    page = signed_in(browser, site, cast.coordinator_a)
    page.goto(f"{site}/en/institutions/uni-a/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage University A")
    offerings = page.locator(".hosted-offerings-panel")
    expect(offerings).to_contain_text("No current offering.")
    offerings.get_by_role("link", name="Add an offering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an offering")
    expect(page.get_by_text("Host institution: University A")).to_be_visible()

    page.get_by_label("Course", exact=True).select_option(label="Export Controls")
    page.get_by_label("Cohort").fill("Extra-mural autumn cohort")
    page.get_by_label("Slug").fill("extra-mural-autumn")
    # The dates the wrong way round.
    page.get_by_label("Start date").fill(ends.isoformat())
    page.get_by_label("End date").fill(starts.isoformat())
    page.get_by_label("Time zone").fill("Europe/Chisinau")
    page.get_by_label("Language of instruction").select_option(label="Română")
    page.get_by_label("Mode").select_option(label="Extra-mural")
    page.get_by_label("Partner institutions").select_option(label="University B")
    page.get_by_label("Capacity").fill("30")
    page.get_by_role("button", name="Create the offering").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The offering was not saved: please correct the fields marked below."
    )
    expect(page.locator("#id_ends_on-errors")).to_have_text("The end date cannot be before the start date.")
    assert not Offering.objects.exists()
    # Nothing typed is lost.
    expect(page.get_by_label("Cohort")).to_have_value("Extra-mural autumn cohort")
    expect(page.get_by_label("Partner institutions")).to_have_values([str(cast.b.pk)])

    page.get_by_label("Start date").fill(starts.isoformat())
    page.get_by_label("End date").fill(ends.isoformat())
    page.get_by_role("button", name="Create the offering").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The offering “Extra-mural autumn cohort” has been created."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Offerings hosted by University A")
    row = page.locator("tr.hosted-offering")
    expect(row).to_have_count(1)
    with translation.override("en"):
        dates = f"{date_format(starts)} to {date_format(ends)}"
    expect(row.locator("td").nth(0)).to_have_text("Extra-mural autumn cohort")
    expect(row.locator("td").nth(1)).to_have_text("Export Controls")
    expect(row.locator("td").nth(2)).to_have_text(dates)
    expect(row.locator("td").nth(3)).to_have_text("Extra-mural")
    offering = Offering.objects.get()
    assert offering.host == cast.a and offering.course.title == "Export Controls"
    assert (offering.cohort, offering.slug, offering.starts_on, offering.ends_on) == (
        "Extra-mural autumn cohort", "extra-mural-autumn", starts, ends
    )
    assert (offering.time_zone, offering.language, offering.mode, offering.capacity) == (
        "Europe/Chisinau", "ro", Offering.Mode.EXTRAMURAL, 30
    )
    assert list(offering.partners.all()) == [cast.b]

    # It shows on the management page too, and is edited from the list.
    page.get_by_role("link", name="Manage University A").click()
    expect(offerings).to_contain_text("Export Controls: Extra-mural autumn cohort")
    offerings.get_by_role("link", name="Every offering hosted, past ones too").click()
    row.get_by_role("link", name="Edit Extra-mural autumn cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Extra-mural autumn cohort”")
    expect(page.get_by_label("Start date")).to_have_value(starts.isoformat())
    page.get_by_label("Cohort").fill("Extra-mural autumn cohort (Chișinău and Kyiv)")
    page.get_by_label("Capacity").fill("45")
    page.get_by_role("button", name="Save the offering").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The offering “Extra-mural autumn cohort (Chișinău and Kyiv)” has been saved."
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Extra-mural autumn cohort (Chișinău and Kyiv)")
    offering.refresh_from_db()
    assert (offering.cohort, offering.capacity, offering.host) == (
        "Extra-mural autumn cohort (Chișinău and Kyiv)", 45, cast.a
    )
    assert list(offering.partners.all()) == [cast.b] and Offering.objects.count() == 1
    page.context.close()
