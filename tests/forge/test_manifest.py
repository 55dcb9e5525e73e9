"""manifest.yml is a valid Forge manifest (Forge's own schema, @forge/manifest 13.7.0, offline), and it and
the backend name the same keys, routes and scopes: a rename on one side only fails here, not on a real site."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
import yaml
from starlette.routing import Route

from app import api
from app.forge import manifest as contract
from tests.conftest import CONTRACTS, ROOT

INTERVAL_SECONDS = {"fiveMinute": 300, "hour": 3600, "day": 86400, "week": 604800}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads((CONTRACTS / "forge-manifest-schema-13.7.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(contract.MANIFEST_FILE.read_text(encoding="utf-8"))


def _one(manifest: dict[str, Any], module: str) -> dict[str, Any]:
    items = manifest["modules"][module]
    assert len(items) == 1, f"{module}: one module expected, found {len(items)}"
    return items[0]


def _endpoints(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["key"]: e for e in manifest["modules"]["endpoint"]}


def test_manifest_validates_against_the_forge_schema(
    schema: dict[str, Any], manifest: dict[str, Any]
) -> None:
    jsonschema.Draft7Validator(schema).validate(manifest)


def test_the_schema_refuses_what_forge_refuses(schema: dict[str, Any], manifest: dict[str, Any]) -> None:
    """The validation above can fail: the same manifest with a remote key over 23 characters does."""
    broken = json.loads(json.dumps(manifest))
    broken["remotes"][0]["key"] = "backend-with-a-far-too-long-key"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_pages_are_the_contracts_custom_ui_pages(manifest: dict[str, Any]) -> None:
    page = _one(manifest, "jira:projectPage")
    assert (page["key"], page["title"]) == (contract.PROJECT_PAGE_KEY, contract.PROJECT_PAGE_TITLE)
    assert (page["resource"], page["resolver"]) == (
        contract.PANEL_RESOURCE,
        {"endpoint": contract.UI_ENDPOINT},
    )
    admin = _one(manifest, "jira:adminPage")
    assert (admin["key"], admin["title"]) == (contract.SETTINGS_PAGE_KEY, contract.SETTINGS_PAGE_TITLE)
    assert (admin["resource"], admin["resolver"]) == (
        contract.SETTINGS_RESOURCE,
        {"endpoint": contract.UI_ENDPOINT},
    )
    assert admin["useAsConfig"] is True  # Manage apps → Configure opens it, as the Connect configure page
    resources = {r["key"]: r["path"] for r in manifest["resources"]}
    assert resources == {
        contract.PANEL_RESOURCE: f"{contract.RESOURCE_DIR}/{contract.PANEL_RESOURCE}",
        contract.SETTINGS_RESOURCE: f"{contract.RESOURCE_DIR}/{contract.SETTINGS_RESOURCE}",
    }
    for path in resources.values():
        assert (ROOT / path / "index.html").is_file(), f"{path} has no index.html: run make forge-bundle"


def test_endpoints_reach_the_backend_routes_with_the_contracts_tokens(manifest: dict[str, Any]) -> None:
    endpoints = _endpoints(manifest)
    assert set(endpoints) == set(contract.ENDPOINT_TOKENS)
    for key, endpoint in endpoints.items():
        assert endpoint["remote"] == contract.REMOTE_KEY, key
        assert endpoint.get("route", {}).get("path") == contract.ENDPOINT_ROUTES[key], key
        enabled = {
            token
            for token, name in (
                (contract.Token.USER, "appUserToken"),
                (contract.Token.SYSTEM, "appSystemToken"),
            )
            if endpoint.get("auth", {}).get(name, {}).get("enabled")
        }
        assert enabled == set(contract.ENDPOINT_TOKENS[key]), key


def test_triggers_route_lifecycle_and_schedule_to_the_remote(
    schema: dict[str, Any], manifest: dict[str, Any]
) -> None:
    lifecycle = _one(manifest, "trigger")
    assert (lifecycle["key"], lifecycle["endpoint"]) == (
        contract.LIFECYCLE_TRIGGER,
        contract.LIFECYCLE_ENDPOINT,
    )
    assert sorted(lifecycle["events"]) == sorted(contract.LIFECYCLE_EVENTS)
    scheduled = _one(manifest, "scheduledTrigger")
    assert (scheduled["key"], scheduled["endpoint"]) == (
        contract.SCHEDULED_TRIGGER,
        contract.SCHEDULED_ENDPOINT,
    )
    assert scheduled["interval"] == contract.SCHEDULE_INTERVAL
    offered = schema["definitions"]["ModuleSchema"]["properties"]["scheduledTrigger"]["items"]["oneOf"][1]
    intervals = offered["properties"]["interval"]["enum"]
    assert min(intervals, key=INTERVAL_SECONDS.__getitem__) == contract.SCHEDULE_INTERVAL


def test_the_remote_takes_its_base_url_from_a_declared_variable(manifest: dict[str, Any]) -> None:
    (remote,) = manifest["remotes"]
    assert remote["key"] == contract.REMOTE_KEY
    assert remote["baseUrl"] == "${" + contract.BASE_URL_VARIABLE + "}"
    assert contract.BASE_URL_VARIABLE in manifest["environment"]["variables"]
    assert {"remote": contract.REMOTE_KEY} in manifest["permissions"]["external"]["fetch"]["client"]


def test_every_key_a_module_names_exists(manifest: dict[str, Any]) -> None:
    modules = [m for items in manifest["modules"].values() for m in items]
    keys = [m["key"] for m in modules]
    assert len(keys) == len(set(keys)), "module keys must be unique"
    endpoints = set(_endpoints(manifest))
    remotes = {r["key"] for r in manifest["remotes"]}
    resources = {r["key"] for r in manifest["resources"]}
    for m in modules:
        if "resolver" in m:
            assert m["resolver"]["endpoint"] in endpoints, m["key"]
        if "resource" in m:
            assert m["resource"] in resources, m["key"]
        if "remote" in m:
            assert m["remote"] in remotes, m["key"]
        if "endpoint" in m:
            assert m["endpoint"] in endpoints, m["key"]


def test_the_app_asks_for_exactly_the_scopes_its_calls_need(manifest: dict[str, Any]) -> None:
    assert sorted(manifest["permissions"]["scopes"]) == list(contract.scopes())


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_each_calls_scopes_are_atlassians() -> None:
    reference = {
        **json.loads((CONTRACTS / "jira-oauth2-scopes.json").read_text(encoding="utf-8"))["operations"],
        **json.loads((CONTRACTS / "jira-software-scopes.json").read_text(encoding="utf-8"))["operations"],
    }
    for call in contract.JIRA_CALLS:
        op = reference[call.operation_id]
        assert (op["method"], _template(op["path"])) == (call.method, _template(contract.full_path(call))), (
            call.operation_id
        )
        assert tuple(op["scopes"]) == call.scopes, call.operation_id


def test_every_call_the_jira_client_makes_has_its_scopes() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "app" / "jira").glob("*.py")))
    sent = set(re.findall(r'_(?:send|request)\(\s*"(GET|POST|PUT|DELETE|PATCH)",\s*"([^"]+)"', source))
    sent |= {("DELETE", path) for path in re.findall(r'_delete\(\s*"([^"]+)"', source)}  # 404 means done
    assert len(sent) >= 10, sent  # the pattern still finds the client's calls
    assert sent == {(call.method, call.path) for call in contract.JIRA_CALLS}


def test_the_page_transport_names_the_same_remote_and_paths() -> None:
    transport = (ROOT / "app" / "static" / "transport.js").read_text(encoding="utf-8")
    assert f'var REMOTE = "{contract.REMOTE_KEY}";' in transport
    suffix = contract.PAGE_CONTEXT_PATH.removeprefix("/api/projects/{project_key}")
    assert f'ctx.apiBase + "{suffix}"' in transport
    assert '"/api/projects/" + encodeURIComponent(ctx.projectKey)' in transport


def test_the_backend_serves_the_page_context_the_transport_asks_for() -> None:
    served = {(m, r.path) for r in api.routes if isinstance(r, Route) for m in r.methods or ()}
    assert ("GET", contract.PAGE_CONTEXT_PATH) in served


def test_the_readme_names_each_calls_scopes_and_tokens() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    for call in contract.JIRA_CALLS:
        row = next((r for r in rows if f"`{call.method} {contract.full_path(call)}`" in r), None)
        assert row is not None, f"README has no row for {call.method} {call.path}"
        for scope in call.scopes or ("none",):
            assert scope in row, (scope, row)
        for token in call.tokens:
            assert token.value in row, (token, row)


def test_the_draft_marker_is_indexed_as_the_connect_descriptor_indexes_it(manifest: dict[str, Any]) -> None:
    """The re-upload lookup and "Open them in Jira" search issues by the property the export writes; Jira
    finds it only where the app asks for it to be indexed (Forge: `jira:entityProperty`)."""
    from app.connect.descriptor import descriptor
    from ticketgen.export.payload import PROPERTY_KEY

    connect = descriptor(base_url="https://example.test", app_key="k")["modules"]["jiraEntityProperties"]
    (connect_config,) = [c for module in connect for c in module["keyConfigurations"]]
    forge = _one(manifest, "jira:entityProperty")
    assert forge["propertyKey"] == connect_config["propertyKey"] == PROPERTY_KEY
    assert forge.get("entityType", "issue") == "issue"
    assert [(v["path"], v["type"], v["searchAlias"]) for v in forge["values"]] == [
        (e["objectName"], e["type"], e["alias"]) for e in connect_config["extractions"]
    ]
