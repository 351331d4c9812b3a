import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tracking.api import urls as api_urls

pytestmark = pytest.mark.django_db
NOT_ENDPOINTS = {"schema", "docs", None}


def test_the_openapi_schema_validates():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["appToken"]["scheme"] == "bearer"


def test_every_api_endpoint_is_in_the_schema():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    endpoints = [
        pattern
        for pattern in api_urls.urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name not in NOT_ENDPOINTS
    ]

    documented = {path.replace("{code}", "<uuid:code>") for path in paths}
    for pattern in endpoints:
        assert f"/api/v1/{pattern.pattern}" in documented, pattern.pattern
    assert len(endpoints) == 9


def test_the_docs_page_and_schema_are_served_without_a_token(client):
    docs = client.get("/api/v1/docs/")
    schema = client.get("/api/v1/schema/")

    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert schema.status_code == 200 and b"/api/v1/time-entries/batch/" in schema.content


def test_the_api_is_mounted_once():
    resolver = get_resolver()
    mounted = [
        pattern
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLResolver) and getattr(pattern, "namespace", None) == "api"
    ]
    assert len(mounted) == 1
