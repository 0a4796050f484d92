"""A visitor opens the ecosystem map, reads its panels, and filters it to one country and then one
kind: the drawing and the table show only that country's institutions."""

import pytest
from playwright.sync_api import expect

from network.models import Institution
from tests.factories import make_institution, make_partnership, make_site

pytestmark = pytest.mark.browser


def test_a_visitor_filters_the_ecosystem_map_by_country_and_kind(page, site):
    make_site()
    kpi = make_institution(name="Kyiv Polytechnic", short_name="kpi", country="UA")
    customs = make_institution(name="State Customs Service", short_name="customs-ua", country="UA",
                               kind=Institution.Kind.CUSTOMS)
    utm = make_institution(name="Technical University of Moldova", short_name="utm", country="MD")
    make_institution(name="Bishkek Ministry of Economy", short_name="kg-economy", country="KG",
                     kind=Institution.Kind.MINISTRY)
    make_partnership(kpi, utm)
    make_partnership(kpi, customs)

    page.goto(site + "/en/ecosystem/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ecosystem map")
    expect(page.get_by_role("img", name="Ecosystem map")).to_be_visible()
    nodes = page.locator("svg.ecosystem-map g.node")
    expect(nodes).to_have_count(4)
    rows = page.locator("table.ecosystem-institutions tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#isolated-heading + ul")).to_contain_text("Bishkek Ministry of Economy")
    expect(page.locator("dl.gaps")).to_contain_text("no Industry")

    page.get_by_role("group", name="Countries").get_by_label("Ukraine").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(nodes).to_have_count(2)
    expect(page.locator("svg.ecosystem-map g.node[data-country='UA']")).to_have_count(2)
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Kyiv Polytechnic")
    expect(page.locator("table.ecosystem-institutions")).not_to_contain_text("Technical University of Moldova")
    expect(page.get_by_role("group", name="Countries").get_by_label("Ukraine")).to_be_checked()

    page.get_by_role("group", name="Kinds of institution").get_by_label("Government: customs").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(nodes).to_have_count(1)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("State Customs Service")
    assert "country=UA" in page.url and "kind=customs" in page.url

    page.get_by_role("link", name="Clear filters").click()
    expect(nodes).to_have_count(4)
