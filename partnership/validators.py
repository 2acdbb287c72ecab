import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from matchmaking.validators import LOGO_FORMATS, LOGO_MAX_BYTES

PHOTO_MAX_BYTES = LOGO_MAX_BYTES
PHOTO_FORMATS = LOGO_FORMATS


def validate_photo(file):
    """Accept a PNG or JPEG image of at most 2 MB, judged by its content (as logos are)."""
    if getattr(file, "_committed", False):
        return  # already stored, so it was checked when it was uploaded
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 2 MB."), code="photo_too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except Exception as error:
        raise ValidationError(
            _("The photo is not an image we can read; upload a PNG or JPEG file."),
            code="photo_not_image",
        ) from error
    finally:
        file.seek(position)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(_("The photo must be a PNG or JPEG image."), code="photo_format")


def validate_time_zone(value):
    """An IANA time zone name that zoneinfo knows, e.g. Europe/Brussels."""
    if value not in available_time_zones():
        raise ValidationError(
            _("%(value)s is not a time zone name; use one such as Europe/Brussels."),
            code="time_zone",
            params={"value": value},
        )


@functools.cache
def available_time_zones():
    return frozenset(zoneinfo.available_timezones())
