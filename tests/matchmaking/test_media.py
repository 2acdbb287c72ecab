"""Uploaded logos are shown with DEBUG off too (issue 9, finding 8)."""

import pytest

from tests.factories import language
from tests.partnership.images import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path


def test_an_uploaded_logo_is_served_with_debug_off(production, client, login, host_org, host_admin):
    response = login(host_admin).post(
        f"/organisations/{host_org.slug}/edit/",
        {
            "name": host_org.name,
            "kind": host_org.kind,
            "country": host_org.country,
            "city": host_org.city,
            "region_name": "Västra Götaland",
            "contact_email": "international@boras.example.org",
            "languages": [language("sv").pk],
            "description": "Borås Stad's Working Life Department.",
            "logo": png("boras.png"),
        },
    )
    host_org.refresh_from_db()
    assert response.status_code == 302
    assert host_org.logo

    image = client.get(host_org.logo.url)

    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_a_missing_media_file_is_a_404(production, client):
    assert client.get("/media/logos/nothing-here.png").status_code == 404


def test_media_refuses_other_methods(production, client):
    assert client.post("/media/logos/nothing-here.png").status_code == 405
