"""Company logos: only PNG, JPEG and WebP, judged by their decoded content (never by their name or
the browser's word), refused beyond a size in pixels, and re-encoded to a small bounded image, so
what every member's browser downloads and decodes stays small. Served with the content type of the
stored format."""

import uuid
import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

# Decoded format → (extension, content type).
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}
REFUSED = "Upload a PNG, JPEG or WebP image."


def _open(file):
    """The image in the file, its header read but its pixels not decoded yet."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(file, formats=list(FORMATS))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ValidationError(_too_large_message(), code="logo_too_large") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ValidationError(REFUSED, code="logo_format") from None


def _too_large_message():
    side = settings.COMPANY_LOGO_MAX_UPLOAD_SIDE
    return f"The logo can be at most {side} × {side} pixels."


def process_logo(uploaded):
    """The uploaded logo as a new file to store (PNG, JPEG or WebP, at most COMPANY_LOGO_STORED_SIDE
    pixels a side, without metadata, under a random name), or a ValidationError."""
    if uploaded.size > settings.COMPANY_LOGO_MAX_BYTES:
        raise ValidationError(
            f"The logo must be at most {settings.COMPANY_LOGO_MAX_BYTES // (1024 * 1024)} MB.", code="logo_too_big"
        )
    image = _open(uploaded)
    if image.format not in FORMATS:
        raise ValidationError(REFUSED, code="logo_format")
    width, height = image.size
    side = settings.COMPANY_LOGO_MAX_UPLOAD_SIDE
    if width > side or height > side or width < 1 or height < 1:
        raise ValidationError(_too_large_message(), code="logo_too_large")
    try:
        image.load()  # decodes the first frame only: an animation keeps its first picture
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(REFUSED, code="logo_format") from None
    stored_format = image.format
    extension, _ = FORMATS[stored_format]
    if stored_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    bound = settings.COMPANY_LOGO_STORED_SIDE
    image.thumbnail((bound, bound))
    output = BytesIO()
    options = {"PNG": {"optimize": True}, "JPEG": {"quality": 88}, "WEBP": {"quality": 88}}[stored_format]
    image.save(output, stored_format, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def stored_content_type(field_file):
    """The content type of a stored logo, from its decoded format; None when it is not one we serve
    (a file stored before logos were re-encoded, say)."""
    try:
        with field_file.open("rb") as file, Image.open(file, formats=list(FORMATS)) as image:
            found = image.format
    except (
        FileNotFoundError,
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None
    return FORMATS[found][1] if found in FORMATS else None
