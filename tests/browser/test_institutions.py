"""A visitor finds an institution in the network directory and opens its profile; its coordinator
adds a colleague by email and changes their role."""

import pytest
from playwright.sync_api import expect

from network.models import Institution, Membership
from tests.browser.test_offerings import signed_in
from tests.factories import make_institution, make_institution_page, make_membership, make_person, make_site

pytestmark = pytest.mark.browser


def test_a_visitor_finds_an_institution_and_its_coordinator_manages_members(browser, page, site):
    tree = make_site()
    sevan = make_institution(
        name="Sevan Lakeside State University", short_name="sevan", country="AM", city="Yerevan"
    )
    make_institution_page(tree, sevan)
    for name, short_name, country, kind in [
        ("Lori Regional Customs Laboratory", "lori", "AM", Institution.Kind.CUSTOMS),
        ("Prut River State University", "prut", "MD", Institution.Kind.UNIVERSITY),
        ("Tengri Steppe Polytechnic University", "tengri", "KZ", Institution.Kind.UNIVERSITY),
    ]:
        make_institution_page(tree, make_institution(name=name, short_name=short_name, country=country, kind=kind))
    coordinator = make_person(display_name="Armen Grigoryan")
    make_membership(coordinator, sevan, Membership.Role.COORDINATOR)
    colleague = make_person(email="anush.petrosyan@example.org", display_name="Anush Petrosyan")

    # A visitor searches, finds nothing, clears, then filters by country and kind.
    page.goto(f"{site}/en/network/")
    expect(page.locator(".card.institution")).to_have_count(4)
    page.get_by_label("Search by name or city").fill("Tbilisi")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("No institution matches these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear the filters and show every institution").click()
    expect(page.locator(".card.institution")).to_have_count(4)
    page.get_by_label("Country").select_option(label="Armenia")
    page.get_by_label("Kind").select_option(label="University")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".card.institution")).to_have_count(1)
    page.get_by_role("link", name="Sevan Lakeside State University").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sevan Lakeside State University")
    expect(page.locator(".coordinators")).to_have_text("Coordinators: Armen Grigoryan")
    expect(page.get_by_role("link", name="Manage this institution")).to_have_count(0)

    # The coordinator adds a colleague by email, then makes them an editor.
    as_coordinator = signed_in(browser, site, coordinator)
    as_coordinator.goto(f"{site}/en/network/sevan/")
    as_coordinator.get_by_role("link", name="Manage this institution").click()
    expect(as_coordinator.get_by_role("heading", level=1)).to_have_text("Manage Sevan Lakeside State University")
    as_coordinator.get_by_label("Email address").fill("nobody@example.org")
    as_coordinator.get_by_role("button", name="Add member").click()
    expect(as_coordinator.get_by_text("Nobody has an account with this email address yet")).to_be_visible()
    as_coordinator.get_by_label("Email address").fill("Anush.Petrosyan@example.org")
    as_coordinator.get_by_label("Role", exact=True).select_option(label="Professor")
    as_coordinator.get_by_role("button", name="Add member").click()
    expect(as_coordinator.get_by_role("status").first).to_contain_text(
        "Anush Petrosyan is now a member with the role Professor."
    )
    row = as_coordinator.locator("tr.member", has_text="Anush Petrosyan")
    expect(row.locator(".role")).to_have_text("Professor")
    row.get_by_label("New role for Anush Petrosyan (Professor)").select_option(label="Editor")
    row.get_by_role("button", name="Change").click()
    expect(as_coordinator.get_by_role("status").first).to_contain_text("Anush Petrosyan now has the role Editor.")
    expect(as_coordinator.locator("tr.member", has_text="Anush Petrosyan").locator(".role")).to_have_text("Editor")
    membership = Membership.objects.get(person=colleague, institution=sevan)
    assert membership.role == Membership.Role.EDITOR
    assert colleague.groups.filter(pk=Institution.objects.get(pk=sevan.pk).editors_id).exists()
