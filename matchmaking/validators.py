from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG"}


def validate_logo(file):
    """Accept a PNG or JPEG image of at most 2 MB, judged by its content, not its name."""
    if getattr(file, "_committed", False):
        return  # already stored, so it was checked when it was uploaded
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 2 MB."), code="logo_too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except Exception as error:
        raise ValidationError(
            _("The logo is not an image we can read; upload a PNG or JPEG file."),
            code="logo_not_image",
        ) from error
    finally:
        file.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("The logo must be a PNG or JPEG image."), code="logo_format")
