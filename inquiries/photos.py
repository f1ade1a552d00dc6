"""Photos relatives send: an image, small enough, and with its metadata (GPS, camera, names)
removed by re-encoding the pixels alone."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def clean_photo(upload: UploadedFile) -> ContentFile[bytes]:
    """The photo re-encoded as JPEG with no metadata, or a ValidationError saying why not."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            pixels = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a photo.")) from error
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=88)  # no exif= argument: nothing but pixels
    return ContentFile(out.getvalue(), name="photo.jpg")
