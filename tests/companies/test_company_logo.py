"""Company logos: PNG, JPEG or WebP only, judged by their decoded content; refused beyond a size in
pixels; re-encoded to a small bounded image; served with the stored format's content type and
nosniff; a replaced logo's file is deleted. Only the company's own members see it."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db
SETTINGS = reverse("companies:settings")
LOGO = reverse("companies:logo")


def image_bytes(format_, size=(64, 32), mode="RGB", **options):
    buffer = BytesIO()
    Image.new(mode, size, "blue" if mode != "1" else 1).save(buffer, format_, **options)
    return buffer.getvalue()


def upload(client, data, name="logo.png", content_type="image/png"):
    return client.post(
        SETTINGS, {"name": "Acme Corp", "time_zone": "UTC", "logo": SimpleUploadedFile(name, data, content_type)}
    )


def served(client):
    response = client.get(LOGO)
    return response, Image.open(BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    ("format_", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_png_jpeg_and_webp_are_kept_and_served_as_what_they_are(client_for, admin, company, format_, content_type):
    client = client_for(admin)

    response = upload(client, image_bytes(format_), name="logo.bin", content_type="application/octet-stream")

    assert response.status_code == 302

    response, image = served(client)
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert image.format == format_ and image.size == (64, 32)


def test_a_png_named_like_a_pdf_is_stored_and_served_as_a_png(client_for, admin, company):
    client = client_for(admin)
    upload(client, image_bytes("PNG"), name="x.pdf", content_type="application/pdf")

    company.refresh_from_db()
    response, image = served(client)
    assert company.logo.name.endswith(".png") and "x.pdf" not in company.logo.name
    assert response["Content-Type"] == "image/png" and image.format == "PNG"
    assert "pdf" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("format_", ["GIF", "BMP", "TIFF", "PDF"])
def test_other_formats_are_refused_whatever_their_name(client_for, admin, company, format_):
    response = upload(client_for(admin), image_bytes(format_), name="logo.png")

    assert response.status_code == 200 and "PNG, JPEG or WebP" in response.content.decode()
    company.refresh_from_db()
    assert not company.logo


def test_a_huge_picture_in_a_small_file_is_refused(client_for, admin, company):
    bomb = image_bytes("PNG", size=(12_500, 12_000), mode="1", optimize=True)
    assert len(bomb) < 100_000

    response = upload(client_for(admin), bomb)

    assert response.status_code == 200 and "at most 4096 × 4096 pixels" in response.content.decode()
    company.refresh_from_db()
    assert not company.logo


def test_a_picture_wider_than_the_limit_is_refused(client_for, admin, company):
    response = upload(client_for(admin), image_bytes("PNG", size=(5000, 10)))

    assert response.status_code == 200 and "at most 4096 × 4096 pixels" in response.content.decode()


def test_a_large_picture_is_re_encoded_to_the_stored_bound(client_for, admin, company):
    client = client_for(admin)
    upload(client, image_bytes("JPEG", size=(3000, 1500)), name="big.jpg", content_type="image/jpeg")

    _, image = served(client)
    assert image.size == (512, 256)


def test_a_replaced_logo_is_deleted_from_storage(client_for, admin, company, django_capture_on_commit_callbacks):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, image_bytes("PNG"))
    company.refresh_from_db()
    first = company.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, image_bytes("WEBP"), name="new.webp", content_type="image/webp")

    company.refresh_from_db()
    assert company.logo.name != first and company.logo.name.endswith(".webp")
    assert not default_storage.exists(first) and default_storage.exists(company.logo.name)


def test_a_removed_logo_is_deleted_from_storage(client_for, admin, company, django_capture_on_commit_callbacks):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, image_bytes("PNG"))
    company.refresh_from_db()
    first = company.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETTINGS, {"name": "Acme Corp", "time_zone": "UTC", "logo-clear": "on"})

    company.refresh_from_db()
    assert not company.logo and not default_storage.exists(first)
    assert client.get(LOGO).status_code == 404


def test_a_stored_file_that_is_not_an_allowed_image_is_not_served(client_for, member, company):
    company.logo.save("legacy.pdf", SimpleUploadedFile("legacy.pdf", image_bytes("GIF")))

    assert client_for(member).get(LOGO).status_code == 404


def test_members_see_the_logo_users_cannot_change_it_and_outsiders_never_get_it(
    client_for, admin, member, outsider, company
):
    upload(client_for(admin), image_bytes("PNG"))

    assert client_for(member).get(LOGO).status_code == 200
    assert upload(client_for(member), image_bytes("PNG")).status_code == 403
    assert client_for(outsider).get(LOGO).status_code == 404  # their company has none; ours is not reachable
