import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Bounds on every number and date a person types, in a form or in the admin (issue 9). Beyond
# them a value is a typo or an attack, and neither the engine's arrays, nor a calendar file,
# nor date arithmetic has to hold it. The model fields carry them as validators (the message
# next to the field) and each model a CheckConstraint (so that SQLite, which stores any
# integer in any column, refuses them too).
#
# A mobility group, an offer's places, a count of participants by category: at most this many.
PARTICIPANTS_MAX = 500
# An exchange lasts at most a year.
DURATION_DAYS_MAX = 365
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
EARLIEST_MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
LATEST_MOMENT = datetime.datetime(2100, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)


def between(low, high):
    """The validators of a value from ``low`` to ``high``, both included."""
    return [MinValueValidator(low), MaxValueValidator(high)]


DATE_BOUNDS = between(EARLIEST_DATE, LATEST_DATE)
MOMENT_BOUNDS = between(EARLIEST_MOMENT, LATEST_MOMENT)
PARTICIPANT_BOUNDS = between(1, PARTICIPANTS_MAX)
COUNT_BOUNDS = between(0, PARTICIPANTS_MAX)


def within(low, high, *names):
    """The condition of a CheckConstraint: each of ``names`` lies from ``low`` to ``high``
    (a NULL passes, as in every CHECK)."""
    condition = Q()
    for name in names:
        condition &= Q(**{f"{name}__gte": low, f"{name}__lte": high})
    return condition


def dates_within(*names):
    return within(EARLIEST_DATE, LATEST_DATE, *names)


def moments_within(*names):
    return within(EARLIEST_MOMENT, LATEST_MOMENT, *names)


IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = {"PNG", "JPEG"}
# A logo or photo needs no more than 4,000 × 4,000 pixels; a larger one is refused from its
# header, before any pixel is decoded (a small file can hold a huge picture).
IMAGE_MAX_PIXELS = 4000 * 4000
# Pillow's own guard against decompression bombs, for every image the site opens.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
LOGO_MAX_BYTES, LOGO_FORMATS = IMAGE_MAX_BYTES, IMAGE_FORMATS


class ImageValidator:
    """Accept a PNG or JPEG image of at most 2 MB, judged by its content, not its name.

    ``kind`` names the image in the error codes (``logo_too_large``, ``photo_format``, …);
    the three messages are what a person sees; ``path`` is the dotted name under which the
    instance is importable, which migrations record.
    """

    def __init__(self, kind, *, path, too_large, not_image, wrong_format):
        self.kind = kind
        self.path = path
        self.messages = {"too_large": too_large, "not_image": not_image, "format": wrong_format}

    def __call__(self, file):
        if getattr(file, "_committed", False):
            return  # already stored, so it was checked when it was uploaded
        if file.size > IMAGE_MAX_BYTES:
            self._refuse("too_large")
        position = file.tell() if hasattr(file, "tell") else 0
        try:
            file.seek(0)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "The image is %(width)d × %(height)d pixels; at most 4,000 × 4,000 "
                            "are accepted. Make it smaller and upload it again."
                        )
                        % {"width": width, "height": height},
                        code=f"{self.kind}_too_many_pixels",
                    )
                image.verify()
        except ValidationError:
            raise
        except Exception as error:
            raise self._error("not_image") from error
        finally:
            file.seek(position)
        if image_format not in IMAGE_FORMATS:
            self._refuse("format")

    def _error(self, problem):
        return ValidationError(self.messages[problem], code=f"{self.kind}_{problem}")

    def _refuse(self, problem):
        raise self._error(problem)

    def deconstruct(self):
        # Referenced by name in migrations, like a plain function.
        return (self.path, (), {})


validate_logo = ImageValidator(
    "logo",
    path="matchmaking.validators.validate_logo",
    too_large=_("The logo is larger than 2 MB."),
    not_image=_("The logo is not an image we can read; upload a PNG or JPEG file."),
    wrong_format=_("The logo must be a PNG or JPEG image."),
)
