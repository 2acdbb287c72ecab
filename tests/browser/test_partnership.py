"""The partnership through the UI: an admin applies to join, the secretariat approves it in the
Django admin, and the organisation appears on the members page with its logo.

The live server does not serve uploads (DEBUG is off in tests), so the browser is handed the
files from the test's MEDIA_ROOT: the logo it shows is the one the organisation uploaded.
"""

import io
import os
import re
from urllib.parse import unquote, urlparse

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from partnership.models import Commitment, MembershipApplication
from tests.browser.helpers import force_sign_in, sign_in
from tests.browser.test_accessibility import _assert_accessible
from tests.factories import PromoterFactory
from tests.second_factor import sign_in_to_the_admin

# The ORM runs in the test thread while Playwright's event loop is alive there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

LOGO_SIZE = (120, 40)


def _give_logo(organisation):
    buffer = io.BytesIO()
    Image.new("RGB", LOGO_SIZE, (0, 84, 147)).save(buffer, "PNG")
    organisation.logo.save("boras.png", ContentFile(buffer.getvalue()))


def _serve_media(page, media_root):
    def fulfil(route):
        relative = unquote(urlparse(route.request.url).path).split("/media/", 1)[1]
        route.fulfill(path=str(media_root / relative))

    page.route("**/media/**", fulfil)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_admin_applies_the_secretariat_approves_and_the_logo_appears_among_the_members(
    live_server, media_root, page, new_context, host_org, host_admin, secretariat, mailoutbox
):
    base = live_server.url
    _give_logo(host_org)

    # --- Borås Stad's admin applies, with consent to show the logo.
    sign_in(page, base, host_admin)
    page.goto(f"{base}/partnership/")
    page.get_by_role("link", name="Join the partnership").click()
    expect(page).to_have_url(f"{base}/partnership/join/")
    expect(page.get_by_label("Apply on behalf of")).to_have_value(str(host_org.pk))
    page.get_by_label("Contact person").fill("Karin Sjöberg")
    page.get_by_label("Their role").fill("Head of international affairs")
    page.get_by_label("Their email address").fill("karin.sjoberg@boras.example.org")
    page.get_by_label("Why do you want to join?").fill(
        "Borås hosts job shadowing on inclusive employment and wants partner regions."
    )
    for label in Commitment.labels:
        page.get_by_label(str(label)).check()
    page.get_by_label("The partnership may show our logo in its communication").check()
    page.get_by_role("button", name="Send the application").click()

    expect(page.get_by_role("status")).to_contain_text("The application of Borås Stad is sent.")
    expect(page.get_by_text("Borås Stad: application pending since")).to_be_visible()
    application = MembershipApplication.objects.get()
    assert (application.organisation, application.logo_consent) == (host_org, True)

    # --- The secretariat signs in to the admin and approves it with a note.
    admin = new_context().new_page()
    sign_in_to_the_admin(
        admin, base, secretariat, next_path="/admin/partnership/membershipapplication/"
    )
    expect(admin.get_by_role("heading", level=1)).to_contain_text("membership application")
    admin.get_by_role("link", name="Pending").first.click()  # the status filter
    admin.get_by_role("checkbox", name=re.compile("Borås Stad")).check()
    admin.get_by_role("combobox", name="Action").select_option(
        label="Approve the selected applications"
    )
    admin.get_by_role("button", name=re.compile("Go|Run")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Approve membership applications")
    admin.get_by_label("Note, told to the organisation's admins").fill("Welcome, Borås!")
    admin.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text(
        "1 application approved; the organisation is a member."
    )

    host_org.refresh_from_db()
    assert host_org.rsp_member_since == timezone.localdate()
    assert [message.to for message in mailoutbox] == [[host_admin.email]]
    assert "Welcome, Borås!" in mailoutbox[0].body

    # --- Borås Stad is on the members page, with its logo.
    visitor = new_context().new_page()
    _serve_media(visitor, media_root)
    visitor.goto(f"{base}/partnership/members/")
    row = visitor.get_by_role("row", name=re.compile("Borås Stad"))
    expect(row).to_contain_text("Sweden")
    logo = row.get_by_role("img", name="Logo of Borås Stad")
    expect(logo).to_have_attribute("src", re.compile(r"/media/logos/boras.*\.png$"))
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == LOGO_SIZE[0]
    # And the badge on its profile.
    row.get_by_role("link", name="Borås Stad").click()
    expect(visitor.locator(".member-badge")).to_have_text("RSP member")


def test_the_partnership_pages_are_accessible(
    live_server, media_root, page, context, host_org, host_admin
):
    host_org.rsp_member_since = timezone.localdate()
    host_org.save()
    promoter = PromoterFactory(organisation=host_org, name="Nicholas Waller")
    force_sign_in(context, live_server.url, host_admin)

    _assert_accessible(
        page,
        live_server.url,
        [
            "/partnership/",
            "/partnership/members/",
            "/partnership/promoters/",
            "/partnership/join/",
            "/partnership/leave/",
            "/partnership/promoters/nominate/",
            f"/partnership/promoters/{promoter.pk}/contact/",
        ],
    )
