"""The OpenAPI schema describes the import and the token, and generates without a warning of
ours."""

import pytest
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from haven.incidents.api import IncidentImportApi

pytestmark = pytest.mark.django_db


def _messages() -> list[str]:
    return [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]


def test_the_import_endpoint_alone_generates_without_warnings_or_errors():
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/incidents/import/", IncidentImportApi.as_view())]

    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    assert _messages() == []
    operation = schema["paths"]["/api/v1/incidents/import/"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "text/csv",
        "application/x-ndjson",
        "multipart/form-data",
    }
    assert {"200", "400", "401", "403", "413", "415", "422"} <= set(operation["responses"])
    profile = next(p for p in operation["parameters"] if p["name"] == "profile")
    assert profile["required"] is True
    assert {"agencyApiToken": []} in operation["security"]
    scheme = schema["components"]["securitySchemes"]["agencyApiToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"


def test_the_whole_schema_is_served_with_the_import_and_no_warning_names_it(client_as):
    GENERATOR_STATS.reset()

    response = client_as("advocate").get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/incidents/import/" in response.content
    assert b"IncidentImportResult" in response.content
    ours = [m for m in _messages() if "IncidentImport" in m or "incidents/api.py" in m]
    assert ours == []
