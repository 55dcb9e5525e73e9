"""The spec review in the API: the batch's report (JSON and Markdown download, the same as the command
line's), and the drafts' open questions and build-and-verify facts as the panel reads them."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite
from ticketgen.drafts.model import Draft, Source, Table
from ticketgen.review import review
from ticketgen.review.report import as_json, markdown
from ticketgen.spec import load

QUESTION = {
    "code": "list_without_values",
    "message": "<img src=x onerror=alert(1)> List (text) field_colour has no allowed values",
    "rows": [{"file": "UWEC_Fields.csv", "row": 12}],
}
VERIFY = {
    "check": "Colour is a list",
    "command": "drush config:get field.storage.node.field_colour type",
    "expect": "list_string",
}


def _upload(panel: Panel, files: list[tuple[str, bytes]], name: str) -> str:
    upload = [("files", (n, c, "text/csv")) for n, c in files]
    response = panel.request("POST", "batches", files=upload, data={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["batch"]["id"]


def _draft(key: str, **facts) -> Draft:
    return Draft(
        key=key,
        kind=key.split(":", 1)[0],
        summary=f"Create {key}",
        tables=[Table(title="Fields", columns=["Label"], rows=[["Colour"]])],
        sources=[Source(file="UWEC_Fields.csv", rows=[12])],
        user_story="As a site builder …",
        criteria=["Colour exists"],
        **facts,
    )


def test_review_json_and_markdown_are_the_command_line_report(
    client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files, "UWEC <rebuild> 2")
    expected = review(load(uwec_files))

    got = panel.request("GET", f"batches/{batch_id}/review")
    assert got.status_code == 200, got.text
    assert got.json() == json.loads(json.dumps(as_json(expected)))

    download = panel.request("GET", f"batches/{batch_id}/review.md")
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "text/markdown; charset=utf-8"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"spec-review-UWEC-rebuild-2.md\"; filename*=UTF-8''spec-review-UWEC-rebuild-2.md"
    )
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.text == markdown(expected, title="Spec review: UWEC <rebuild> 2")

    missing = panel.request("GET", "batches/no-such-batch/review")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "batch_not_found"


def test_a_spec_with_errors_still_has_its_review(client: TestClient, site: JiraSite) -> None:
    """The panel shows the review beside the findings, so it must answer before the errors are fixed."""
    panel = Panel(client, site, "UWEC")
    bundles = b"ID,X,Name,Machine name,Type\n,a,Page,,Content type\n"  # a ticketed row without its key
    batch_id = _upload(panel, [("bundles.csv", bundles)], "broken")
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == "invalid"
    got = panel.request("GET", f"batches/{batch_id}/review")
    assert got.status_code == 200 and got.json() == json.loads(
        json.dumps(as_json(review(load([("bundles.csv", bundles)]))))
    )
    download = panel.request("GET", f"batches/{batch_id}/review.md")
    assert download.status_code == 200 and download.text.startswith("# Spec review: broken\n")


def test_the_download_keeps_a_batch_name_in_any_script(client: TestClient, site: JiraSite) -> None:
    panel = Panel(client, site, "UWEC")
    bundles = b"ID,X,Name,Machine name,Type\n,a,Page,page,Content type\n"
    batch_id = _upload(
        panel, [("bundles.csv", bundles)], "\u041a\u0430\u0444\u0435\u0434\u0440\u0430 \u2013 Caf\u00e9"
    )
    download = panel.request("GET", f"batches/{batch_id}/review.md")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        'attachment; filename="spec-review-Caf.md"; '
        "filename*=UTF-8''spec-review-%D0%9A%D0%B0%D1%84%D0%B5%D0%B4%D1%80%D0%B0-Caf%C3%A9.md"
    )


def test_drafts_carry_questions_and_build_facts(
    client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files, "UWEC")
    store = client.app.state.store  # type: ignore[attr-defined]
    tenant = client.portal.call(store.get_tenant_by_client_key, site.client_key)
    plain = _draft("bundle:node.page")
    doubted = _draft(
        "fields:node.page",
        labels=["needs-decision"],
        depends_on=["bundle:node.page"],
        questions=[QUESTION],
        modules=["options"],
        admin_path="/admin/structure/types/manage/page/fields",
        config=["field.storage.node.field_colour", "field.field.node.page.field_colour"],
        verify=[VERIFY],
    )
    client.portal.call(store.replace_drafts, tenant.id, batch_id, [plain, doubted])
    assert client.portal.call(
        lambda: store.transition(tenant.id, batch_id, to="drafting", expect={"validated"})
    )
    assert client.portal.call(
        lambda: store.transition(tenant.id, batch_id, to="drafted", expect={"drafting"})
    )

    listed = {d["key"]: d for d in panel.request("GET", f"batches/{batch_id}/drafts").json()["drafts"]}
    assert (listed[doubted.key]["question_count"], listed[plain.key]["question_count"]) == (1, 0)
    assert not {"questions", "modules", "config", "verify", "tables"} & set(listed[doubted.key])

    full = panel.request("GET", f"batches/{batch_id}/drafts/{doubted.key}").json()["draft"]
    assert full["question_count"] == 1 and full["questions"] == [QUESTION]
    assert (full["modules"], full["admin_path"], full["config"], full["verify"]) == (
        ["options"],
        "/admin/structure/types/manage/page/fields",
        doubted.config,
        [VERIFY],
    )

    # facts, not edits: the API refuses them and a user edit keeps them
    refused = panel.request("PATCH", f"batches/{batch_id}/drafts/{doubted.key}", json={"questions": []})
    assert refused.status_code == 422 and "questions" in refused.json()["error"]["message"]
    edited = panel.request(
        "PATCH", f"batches/{batch_id}/drafts/{doubted.key}", json={"summary": "Add Colour"}
    )
    assert edited.json()["draft"]["questions"] == [QUESTION]
    assert edited.json()["draft"]["verify"] == [VERIFY]

    # the preview is the server's rendering: the question opens it in a warning panel, the checks follow
    preview = panel.request("GET", f"batches/{batch_id}/drafts/{doubted.key}/preview").json()["adf"]
    first = preview["content"][0]
    assert first["type"] == "panel" and first["attrs"]["panelType"] == "warning"
    assert QUESTION["message"] in json.dumps(first, ensure_ascii=False)
    assert VERIFY["command"] in json.dumps(preview) and doubted.admin_path in json.dumps(preview)
