"""The served descriptor validates against Atlassian's (2022) descriptor schema plus the two newer apiMigrations."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from app.connect.descriptor import ISSUE_PROPERTY_KEY
from tests.conftest import CONTRACTS
from tests.connect.fixtures import BASE_URL

NEWER_API_MIGRATIONS = ("signed-install", "context-qsh")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    schema = json.loads((CONTRACTS / "connect-jira-descriptor.schema.json").read_text())
    schema = copy.deepcopy(schema)
    migrations = schema["properties"]["apiMigrations"]["properties"]
    for name in NEWER_API_MIGRATIONS:
        assert name not in migrations, f"{name} is in the schema copy already; drop it from the allowance"
        migrations[name] = {"type": "boolean"}
    return schema


def test_served_descriptor_is_valid(client: TestClient, schema: dict[str, Any]) -> None:
    response = client.get("/atlassian-connect.json")
    assert response.status_code == 200
    doc = response.json()
    jsonschema.Draft4Validator(schema).validate(doc)
    assert doc["baseUrl"] == BASE_URL
    assert doc["authentication"] == {"type": "jwt"}
    assert doc["apiMigrations"] == {"signed-install": True, "context-qsh": True}
    # DELETE: a re-sync removes Blocks links and superseded attachments
    assert set(doc["scopes"]) == {"READ", "WRITE", "DELETE"}
    assert set(doc["lifecycle"]) == {"installed", "uninstalled", "enabled", "disabled"}
    page = doc["modules"]["jiraProjectPages"][0]
    assert "{project.key}" in page["url"] and "{project.id}" in page["url"]
    # Jira shows the project page to signed-in users who may create issues there, the settings to admins
    # (display only: the API asks Jira again, `app.connect.permissions`).
    assert page["conditions"] == [
        {"condition": "user_is_logged_in"},
        {"condition": "has_project_permission", "params": {"permission": "CREATE_ISSUES"}},
    ]
    assert doc["modules"]["configurePage"]["conditions"] == [{"condition": "user_is_admin"}]
    (entity,) = doc["modules"]["jiraEntityProperties"]
    (config,) = entity["keyConfigurations"]
    assert config["propertyKey"] == ISSUE_PROPERTY_KEY
    assert {e["objectName"] for e in config["extractions"]} == {"batchId", "draftKey"}


def test_schema_rejects_unknown_api_migration(client: TestClient, schema: dict[str, Any]) -> None:
    doc = client.get("/atlassian-connect.json").json()
    doc["apiMigrations"]["made-up"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(doc)


def test_every_route_named_in_the_descriptor_is_served(client: TestClient) -> None:
    doc = client.get("/atlassian-connect.json").json()
    paths = [*doc["lifecycle"].values(), doc["modules"]["configurePage"]["url"]]
    paths.append(
        doc["modules"]["jiraProjectPages"][0]["url"]
        .replace("{project.key}", "ABC")
        .replace("{project.id}", "1")
    )
    for path in paths:
        method = "POST" if path.startswith("/lifecycle") else "GET"
        response = client.request(method, path)
        assert response.status_code == 401, (path, response.status_code)  # exists, and wants a token


def test_the_sidebar_icon_is_served(client: TestClient) -> None:
    doc = client.get("/atlassian-connect.json").json()
    icon = client.get(doc["modules"]["jiraProjectPages"][0]["iconUrl"])
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
