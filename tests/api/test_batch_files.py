"""A batch's files after the upload: a corrected file of the same name replaces the old one (never ignored) and
is checked again; files are added and removed; batches are deleted; each only while the status allows it."""

from __future__ import annotations

from functools import partial
from itertools import pairwise
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.store import Store
from tests.api.test_happy_path import _drafted, _upload
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite

BROKEN = b"ID,X,Name,Machine name,Type\n,a,Page,,Content type\n"  # a ticketed row without its machine name
FIXED = b"ID,X,Name,Machine name,Type\n,a,Page,page,Content type\n"
ROLES = b"ID,Name,Machine name,X\n,Editor,editor,a\n"


def _put(panel: Panel, batch_id: str, files: list[tuple[str, bytes]], **data: str) -> Any:
    parts = [("files", (name, content, "text/csv")) for name, content in files]
    return panel.request("POST", f"batches/{batch_id}/files", files=parts, data=data)


def _store(client: TestClient) -> Store:
    return client.app.state.store  # type: ignore[attr-defined,no-any-return]


def _move(client: TestClient, panel: Panel, batch_id: str, *path: str) -> None:
    """Walk the batch through the life cycle as the jobs would (the store refuses an illegal step)."""
    store, tenant_id = _store(client), _tenant_id(client, panel, batch_id)
    for before, after in pairwise(path):
        assert client.portal.call(partial(store.transition, tenant_id, batch_id, to=after, expect={before}))


def _tenant_id(client: TestClient, panel: Panel, batch_id: str) -> str:
    tenant = client.portal.call(_store(client).get_tenant_by_client_key, panel.site.client_key)
    assert tenant is not None
    return tenant.id


def _audit(client: TestClient, panel: Panel, batch_id: str) -> list[Any]:
    store, tenant_id = _store(client), _tenant_id(client, panel, batch_id)
    return client.portal.call(lambda: store.list_audit(tenant_id, batch_id=batch_id))


@pytest.fixture
def panel(client: TestClient, site: JiraSite) -> Panel:
    return Panel(client, site)


def test_a_file_with_a_name_already_in_the_batch_replaces_it_and_is_checked_again(
    client: TestClient, panel: Panel
) -> None:
    created = _upload(panel, [("bundles.csv", BROKEN), ("roles.csv", ROLES)]).json()
    batch_id = created["batch"]["id"]
    assert created["batch"]["status"] == "invalid"

    replaced = _put(panel, batch_id, [("bundles.csv", FIXED)])
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["replaced"] == [{"name": "bundles.csv", "old_size": len(BROKEN), "new_size": len(FIXED)}]
    assert body["added"] == [] and body["removed"] == [] and body["drafts_discarded"] == 0
    assert body["check"] == {"status": "validated", "errors": 0, "warnings": body["check"]["warnings"]}
    assert [f["name"] for f in body["files"]] == ["bundles.csv", "roles.csv"], "the order is kept"
    assert next(f for f in body["files"] if f["name"] == "bundles.csv")["size"] == len(FIXED)
    findings = panel.request("GET", f"batches/{batch_id}/findings?severity=error").json()
    assert findings["findings"] == []
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == "validated"
    event = next(e for e in _audit(client, panel, batch_id) if e.action == "batch.files_changed")
    assert event.detail["replaced"] == body["replaced"]


def test_a_new_name_is_added_and_the_type_chosen_for_a_replaced_file_stays(panel: Panel) -> None:
    batch_id = _upload(panel, [("bundles.csv", FIXED)]).json()["batch"]["id"]
    chosen = panel.request("PUT", f"batches/{batch_id}/files/bundles.csv/type", json={"type": "unknown"})
    assert chosen.status_code == 200
    body = _put(
        panel, batch_id, [("roles.csv", ROLES), ("bundles.csv", FIXED + b",b,Article,article,x\n")]
    ).json()
    assert body["added"] == ["roles.csv"] and [r["name"] for r in body["replaced"]] == ["bundles.csv"]
    files = {f["name"]: f for f in body["files"]}
    assert list(files) == ["bundles.csv", "roles.csv"]
    assert files["bundles.csv"]["override_type"] == "unknown" and files["roles.csv"]["type"] == "user_roles"


def test_replacing_a_file_of_a_drafted_batch_discards_the_drafts_and_says_how_many(
    client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files).json()["batch"]["id"]
    assert panel.request("POST", f"batches/{batch_id}/drafting").status_code == 202
    drafts = _drafted(panel, batch_id)["counts"]["drafts"]
    assert drafts > 0
    name, content = uwec_files[0]
    body = _put(panel, batch_id, [(name, content + b"\n")]).json()
    assert body["drafts_discarded"] == drafts
    assert body["batch"]["status"] == "validated"
    status = panel.request("GET", f"batches/{batch_id}").json()
    assert status["counts"]["drafts"] == 0 and status["batch"]["status"] == "validated"
    assert panel.request("GET", f"batches/{batch_id}/dependencies").json()["dependencies"] == []

    assert panel.request("POST", f"batches/{batch_id}/drafting").status_code == 202
    _drafted(panel, batch_id)
    retyped = panel.request("PUT", f"batches/{batch_id}/files/{name}/type", json={"type": "unknown"}).json()
    assert retyped["drafts_discarded"] == drafts, "drafts read with the old type go too"
    detected = next(f for f in retyped["files"] if f["name"] == name)
    assert detected["type"] == "unknown" and detected["detected_type"] != "unknown", "detected stays detected"
    assert panel.request("GET", f"batches/{batch_id}").json()["counts"]["drafts"] == 0


def test_a_removed_file_is_gone_from_the_check_and_can_be_put_back_in_its_place(panel: Panel) -> None:
    batch_id = _upload(panel, [("bundles.csv", BROKEN), ("roles.csv", ROLES)]).json()["batch"]["id"]
    kept = panel.request("GET", f"batches/{batch_id}/files/bundles.csv")
    assert kept.status_code == 200 and kept.content == BROKEN, "the bytes an Undo puts back"
    removed = panel.request("DELETE", f"batches/{batch_id}/files/bundles.csv")
    assert removed.status_code == 200, removed.text
    body = removed.json()
    assert body["removed"] == ["bundles.csv"] and [f["name"] for f in body["files"]] == ["roles.csv"]
    assert body["check"]["status"] == "validated" and body["check"]["errors"] == 0
    back = _put(panel, batch_id, [("bundles.csv", BROKEN)], position="0").json()
    assert [f["name"] for f in back["files"]] == ["bundles.csv", "roles.csv"]
    last = _put(panel, batch_id, [("extra.csv", ROLES)], position="99").json()
    assert [f["name"] for f in last["files"]] == ["bundles.csv", "roles.csv", "extra.csv"], (
        "past the end: last"
    )
    assert back["check"] == {"status": "invalid", "errors": 1, "warnings": back["check"]["warnings"]}


def test_removing_the_last_or_a_missing_file_is_refused_with_a_reason(panel: Panel) -> None:
    batch_id = _upload(panel, [("roles.csv", ROLES)]).json()["batch"]["id"]
    last = panel.request("DELETE", f"batches/{batch_id}/files/roles.csv")
    assert last.status_code == 422 and last.json()["error"]["code"] == "last_file"
    assert "delete the batch" in last.json()["error"]["message"]
    missing = panel.request("DELETE", f"batches/{batch_id}/files/nope.csv")
    assert missing.status_code == 404 and "nope.csv" in missing.json()["error"]["message"]
    bad = _put(panel, batch_id, [("x.csv", ROLES)], position="-1")
    assert bad.status_code == 422 and "position" in bad.json()["error"]["message"]
    assert [f["name"] for f in panel.request("GET", f"batches/{batch_id}/files").json()["files"]] == [
        "roles.csv"
    ]


def test_a_deleted_batch_is_gone_and_the_audit_log_says_what_went(client: TestClient, panel: Panel) -> None:
    batch_id = _upload(panel, [("roles.csv", ROLES)], name="Sprint 1").json()["batch"]["id"]
    deleted = panel.request("DELETE", f"batches/{batch_id}")
    assert deleted.status_code == 200 and deleted.json() == {"deleted": batch_id, "name": "Sprint 1"}
    assert panel.request("GET", f"batches/{batch_id}").status_code == 404
    assert panel.request("GET", "batches").json()["batches"] == []
    again = panel.request("DELETE", f"batches/{batch_id}")
    assert again.status_code == 404
    event = next(e for e in _audit(client, panel, batch_id) if e.action == "batch.deleted")
    assert event.detail == {"name": "Sprint 1", "status": "validated", "files": 1, "drafts": 0}


@pytest.mark.parametrize(
    ("path", "says"),
    [
        (("validated", "drafting"), "being generated"),
        (("validated", "drafting", "drafted", "awaiting_approval"), "withdraw the request"),
        (("validated", "drafting", "drafted", "approved", "exporting"), "being created in Jira"),
        (("validated", "drafting", "drafted", "approved", "exporting", "exported"), "record"),
    ],
)
def test_files_and_batch_are_kept_in_a_state_that_forbids_it(
    client: TestClient, panel: Panel, path: tuple[str, ...], says: str
) -> None:
    batch_id = _upload(panel, [("bundles.csv", FIXED), ("roles.csv", ROLES)]).json()["batch"]["id"]
    _move(client, panel, batch_id, *path)
    locks = panel.request("GET", f"batches/{batch_id}").json()["batch"]["locks"]
    assert locks["files"] and locks["delete"], "the panel is told why, before anyone clicks"
    for response in (
        _put(panel, batch_id, [("bundles.csv", BROKEN)]),
        panel.request("DELETE", f"batches/{batch_id}/files/roles.csv"),
        panel.request("PUT", f"batches/{batch_id}/files/roles.csv/type", json={"type": "fields"}),
    ):
        assert response.status_code == 409 and response.json()["error"]["code"] == "files_locked"
    refused = panel.request("DELETE", f"batches/{batch_id}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "batch_kept"
    assert says in refused.json()["error"]["message"]
    files = panel.request("GET", f"batches/{batch_id}/files").json()["files"]
    assert [(f["name"], f["size"], f["override_type"]) for f in files] == [
        ("bundles.csv", len(FIXED), None),
        ("roles.csv", len(ROLES), None),
    ]
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == path[-1]


def test_a_cancelled_batch_that_created_issues_is_never_deleted(client: TestClient, panel: Panel) -> None:
    batch_id = _upload(panel, [("roles.csv", ROLES)]).json()["batch"]["id"]
    _move(client, panel, batch_id, "validated", "drafting", "drafted", "approved", "exporting", "cancelled")
    store, tenant_id = _store(client), _tenant_id(client, panel, batch_id)
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["locks"]["delete"] is None
    assert client.portal.call(lambda: store.record_intent(tenant_id, batch_id, ["roles:editor"]))
    refused = panel.request("DELETE", f"batches/{batch_id}")
    assert refused.status_code == 409 and "record" in refused.json()["error"]["message"]
    assert panel.request("GET", f"batches/{batch_id}").status_code == 200


def test_a_cancelled_batch_without_issues_can_be_deleted(client: TestClient, panel: Panel) -> None:
    batch_id = _upload(panel, [("roles.csv", ROLES)]).json()["batch"]["id"]
    _move(client, panel, batch_id, "validated", "cancelled")
    assert panel.request("DELETE", f"batches/{batch_id}").status_code == 200
    assert panel.request("GET", f"batches/{batch_id}").status_code == 404


def test_a_replacement_larger_than_a_json_body_is_taken_as_an_upload(panel: Panel) -> None:
    """The files route streams under the upload's limits, not the 256 KB cap on JSON bodies."""
    batch_id = _upload(panel, [("roles.csv", ROLES)]).json()["batch"]["id"]
    big = ROLES + b"".join(b",Role %d,role_%d,a\n" % (i, i) for i in range(20_000))
    assert len(big) > 256 * 1024
    replaced = _put(panel, batch_id, [("roles.csv", big)])
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["replaced"] == [
        {"name": "roles.csv", "old_size": len(ROLES), "new_size": len(big)}
    ]
    too_big = _put(panel, batch_id, [("roles.csv", ROLES + b"," * (2 * 1024 * 1024))])
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "file_too_large"
