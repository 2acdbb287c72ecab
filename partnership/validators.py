import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from matchmaking.validators import ImageValidator

validate_photo = ImageValidator(
    "photo",
    path="partnership.validators.validate_photo",
    too_large=_("The photo is larger than 2 MB."),
    not_image=_("The photo is not an image we can read; upload a PNG or JPEG file."),
    wrong_format=_("The photo must be a PNG or JPEG image."),
)


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
