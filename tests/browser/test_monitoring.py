"""The secretariat opens the monitoring dashboard, filters by a region and follows a figure to
its records in the admin; axe finds nothing serious on the dashboard or the public page.
Screenshots of both pages at 1280 and 390 px go to $MONITORING_SCREENSHOTS when it is set."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_accessible
from tests.partnership.monitoring_world import build_monitoring_world
from tests.second_factor import sign_in_to_the_admin

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def _screenshots(page, name):
    folder = os.environ.get("MONITORING_SCREENSHOTS")
    if not folder:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        # Nothing is wider than the window: no sideways scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width} px is {overflow} px too wide"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_secretariat_filters_by_a_region_and_follows_a_figure_to_its_records(
    live_server, page, secretariat
):
    build_monitoring_world()
    base = live_server.url
    sign_in_to_the_admin(page, base, secretariat, next_path="/partnership/dashboard/")

    page.goto(f"{base}/partnership/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring dashboard")
    page.get_by_label("NUTS 2 region", exact=True).select_option("SE23")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"region=SE23"))

    # Västsverige sent two exchanges (10 participants): the figure links to them.
    regions = page.get_by_role("table", name=re.compile("by NUTS 2 region of the sending"))
    row = regions.get_by_role("row", name=re.compile("SE23 Västsverige"))
    expect(row).to_contain_text("10")
    row.get_by_role("link", name="2").click()

    expect(page).to_have_url(re.compile(r"/admin/exchanges/exchange/\?"))
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Vestland fylkeskommune")


def test_the_dashboard_and_the_public_page_are_accessible(live_server, page, secretariat):
    build_monitoring_world()
    base = live_server.url
    sign_in_to_the_admin(page, base, secretariat)

    _assert_accessible(page, base, ["/partnership/dashboard/", "/partnership/figures/"])
    page.goto(f"{base}/partnership/dashboard/")
    _screenshots(page, "dashboard")
    page.goto(f"{base}/partnership/figures/")
    _screenshots(page, "figures")
