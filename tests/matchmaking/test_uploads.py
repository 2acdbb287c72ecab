"""Images capped in pixels and bytes before they are decoded or written (issue 9, finding 10)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from matchmaking.models import Organisation
from tests.factories import UserFactory, language
from tests.pages import field_error

pytestmark = pytest.mark.django_db

CREATE_URL = "/organisations/new/"


def _data(**overrides):
    return {
        "name": "Lappia Vocational College",
        "kind": "vet_provider",
        "country": "FI",
        "region_name": "Lapland",
        "city": "Tornio",
        "contact_email": "international@lappia.example.org",
        "languages": [language("en").pk],
        "description": "Vocational education in Lapland.",
        **overrides,
    }


def _thirty_megapixel_png():
    buffer = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buffer, format="PNG")  # one colour: a small file
    assert buffer.tell() < 2 * 1024 * 1024
    return SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def no_temporary_files(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)


def test_a_thirty_megapixel_png_is_refused_from_its_header(login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(UserFactory()).post(CREATE_URL, _data(logo=_thirty_megapixel_png()))

    assert response.status_code == 200
    assert field_error(response, "logo").startswith("The image is 6000 × 5000 pixels")
    assert not Organisation.objects.exists()
    assert not list(tmp_path.rglob("*.png"))


def test_a_thirty_megabyte_upload_is_never_written_to_disk(login, no_temporary_files):
    thirty_mb = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * 30_000_000, "image/png")

    response = login(UserFactory()).post(CREATE_URL, _data(logo=thirty_mb))

    assert response.status_code == 200
    assert field_error(response, "logo") == "The logo is larger than 2 MB."
    assert not Organisation.objects.exists()
