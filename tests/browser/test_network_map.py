"""The network map and directory in a browser, with the demo network: Leaflet draws the
outlines and the pins from our own files, and the page asks no other host for anything."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_network_map_and_directory_need_no_other_host(new_page, axe_check, live_server):
    from microsolidarity.demo.network import demo_network_load
    from microsolidarity.network.mapdata import member_towns

    demo_network_load()
    assert len(member_towns()) >= 3

    page = new_page()
    own = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/network/map/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of the network")
    # With JavaScript, Leaflet replaces the drawing: country shapes and clustered pins.
    expect(page.locator("#leaflet-map.leaflet-container")).to_be_visible()
    expect(
        page.locator("#leaflet-map path.leaflet-interactive, #leaflet-map svg path").first
    ).to_be_attached()
    expect(page.locator("#leaflet-map .leaflet-marker-icon").first).to_be_visible()
    expect(page.locator("#network-map-figure")).to_be_hidden()
    axe_check(page)
    assert page.get_by_role("row", name=re.compile(r"Lisbon, Portugal \d+")).count() == 1

    page.goto("/network/?mode=in_person&near=Sintra%2C+Portugal&radius=50")
    expect(page.get_by_role("heading", name="Lisbon Commons")).to_be_visible()
    expect(page.get_by_role("heading", name="Berlin Kiez Congregation")).to_have_count(0)
    axe_check(page)

    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {own}, requested
    # Leaflet and the clusters run under the strict policy: nothing inline was needed.
    assert refused == []


def test_the_map_works_without_javascript_and_fits_a_phone(
    browser, live_server, axe_check, congregation, host
):
    from microsolidarity.network.services import listing_save
    from microsolidarity.people.towns import town_resolve

    (lisbon,) = town_resolve("Lisbon, Portugal")
    listing_save(by=host, group=congregation, listed=True, meets_online=False, town=lisbon)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto("/network/map/")
        expect(page.locator("svg.world")).to_be_visible()
        expect(page.locator("svg.world .congregation-pins circle")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto("/network/")
        page.get_by_label("Meets").select_option("in_person")
        page.get_by_role("button", name="Show congregations").click()
        expect(page).to_have_url(re.compile(r"mode=in_person"))
        expect(page.get_by_role("heading", name="Riverside Congregation")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_drawn_map_and_the_calendar_are_accessible_on_a_phone(
    new_page, axe_check, congregation, host
):
    from microsolidarity.network.services import listing_save
    from microsolidarity.people.towns import town_resolve

    (lisbon,) = town_resolve("Lisbon, Portugal")
    listing_save(by=host, group=congregation, listed=True, meets_online=False, town=lisbon)
    page = new_page(viewport={"width": 390, "height": 844})
    # axe needs JavaScript; without our map script the page is what a no-JavaScript visitor sees.
    page.route("**/network/map.js", lambda route: route.abort())
    page.goto("/network/map/")
    expect(page.locator("svg.world")).to_be_visible()
    axe_check(page)
    page.goto("/network/calendar/")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
