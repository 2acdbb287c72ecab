"""Small real images for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(name="picture.png", size=(40, 20), image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(buffer, image_format)
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
