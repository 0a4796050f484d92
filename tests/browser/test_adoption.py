"""A coordinator adopts the course for their university, waits for the copy, edits a lecture of
the copy in the Wagtail admin, then sees a change of the master under upstream changes, reads its
diff and pulls it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from course.adoption_models import Adoption, PageLineage
from lessons.models import LecturePage
from network.models import Membership
from tests.factories import (
    PASSWORD,
    make_course,
    make_institution,
    make_institution_page,
    make_membership,
    make_person,
    make_site,
)

pytestmark = pytest.mark.browser


def test_a_coordinator_adopts_edits_and_pulls_a_master_change(page, site):
    tree = make_site()
    master = make_course(tree, modules=1, lectures_per_module=2, title="Export Controls")
    university = make_institution(name="Kyiv Polytechnic", short_name="kpi")
    make_institution_page(tree, university)
    coordinator = make_person(display_name="Iryna Coordinator", institution=university)
    make_membership(coordinator, university, Membership.Role.COORDINATOR)

    page.goto(f"{site}/en/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{site}{master.course.url}")
    page.get_by_role("link", name="Adopt this course for your institution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adopt the course")
    page.get_by_label("Adopt for").select_option(label="Kyiv Polytechnic")
    page.get_by_role("button", name="Adopt the course").click()
    expect(page.get_by_role("status").first).to_contain_text("Kyiv Polytechnic adopts the course.")
    expect(page.locator("progress#copy-progress")).to_be_visible()

    # The background worker makes the copy; the status page refreshes itself until it is done.
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.locator(".copy-state")).to_have_text("Copied", timeout=15_000)
    adoption = Adoption.objects.get()
    assert adoption.copy_state == Adoption.CopyState.DONE

    # The coordinator edits the second lecture of the copy in the Wagtail admin.
    second = PageLineage.objects.get(adoption=adoption, source=master.lectures[1]).page_id
    page.goto(f"{site}/admin/pages/{second}/edit/")
    page.get_by_role("textbox", name=re.compile(r"^Title")).fill("Licensing in Ukraine")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Page 'Licensing in Ukraine' has been published.")
    # Nothing of the master changed.
    assert LecturePage.objects.get(pk=master.lectures[1].pk).title != "Licensing in Ukraine"

    # Meanwhile the master's first lecture gets a new paragraph.
    source = LecturePage.objects.get(pk=master.lectures[0].pk)
    source.body = [("text", "<p>Catch-all controls apply to unlisted items too.</p>")]
    source.save_revision().publish()

    page.goto(f"{site}/en/adoptions/{adoption.pk}/")
    page.get_by_role("link", name=re.compile(r"^Upstream changes: 1 waiting")).click()
    changes = page.locator("tr.upstream-change")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("As synced")
    changes.get_by_role("link", name=source.title).click()
    body = page.locator(".diff-field").filter(has=page.get_by_text("Body", exact=True))
    expect(body.locator("ins").filter(has_text="unlisted")).to_be_visible()
    expect(body.locator("del").filter(has_text="licensed")).to_be_visible()
    page.get_by_role("button", name="Pull this change").click()
    expect(page.get_by_role("status").first).to_contain_text("now has the master's content")
    expect(page.get_by_text("Your copy is up to date with the master.")).to_be_visible()

    first = LecturePage.objects.get(pk=PageLineage.objects.get(adoption=adoption, source=source).page_id)
    page.goto(f"{site}{first.url}")
    expect(page.get_by_role("article").get_by_text("Catch-all controls apply to unlisted items too.")).to_be_visible()
    # The local edit stays.
    assert LecturePage.objects.get(pk=second).title == "Licensing in Ukraine"
