"""What an upload carries reaches the store intact, on SQLite and on PostgreSQL: file names exactly as the
user named them (browsers send them as raw UTF-8, other clients as RFC 5987 `filename*`), and bytes that
no text column accepts (NUL) turned into a finding instead of a server error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from app import pipeline
from app.config import Config
from tests.connect.fixtures import BASE_URL, Panel
from tests.connect.jira_peer import APP_KEY, JiraSite, KeyServer
from tests.store.conftest import BACKENDS, new_database

ROLES = b"ID,Name,Machine name,X\n,Editor,editor,a\n"
BOUNDARY = "----ticketgen-test-boundary"


@pytest.fixture(params=BACKENDS)
def config(request: pytest.FixtureRequest, tmp_path: Path, key_server: KeyServer) -> Iterator[Config]:
    with new_database(request.param, tmp_path) as url:
        yield Config(
            base_url=BASE_URL,
            data_dir=tmp_path,
            secret_key=Fernet.generate_key().decode(),
            install_keys_url=key_server.url,
            app_key=APP_KEY,
            database_url=url,
        )


@pytest.fixture
def panel(client: TestClient, site: JiraSite) -> Panel:
    return Panel(client, site)


def raw_upload(panel: Panel, dispositions: list[bytes]) -> dict:
    """A multipart body written byte by byte, for the header forms httpx never produces."""
    body = (
        b"".join(
            b'--%s\r\nContent-Disposition: form-data; name="files"; %s\r\nContent-Type: text/csv\r\n\r\n%s\r\n'
            % (BOUNDARY.encode(), disposition, ROLES)
            for disposition in dispositions
        )
        + b"--%s--\r\n" % BOUNDARY.encode()
    )
    response = panel.request(
        "POST", "batches", content=body, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    )
    assert response.status_code == 201, response.text
    return response.json()


# en dash, curly quotes, Cyrillic, emoji, accents, a straight quote (browsers send it as %22)
BROWSER_NAMES = [
    "UWEC \u2013 Fields.csv",
    "\u201cRoles\u201d.csv",
    "\u0420\u043e\u043b\u0438.csv",
    "\U0001f4c4 Views.csv",
    "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e.csv",
    'Spec "final".csv',
]


def test_file_names_keep_every_character_the_user_gave_them(panel: Panel) -> None:
    response = panel.request(
        "POST", "batches", files=[("files", (n, ROLES, "text/csv")) for n in BROWSER_NAMES]
    )
    assert response.status_code == 201, response.text
    assert [f["name"] for f in response.json()["files"]] == BROWSER_NAMES
    batch = response.json()["batch"]["id"]

    listed = panel.request("GET", f"batches/{batch}/files").json()["files"]
    assert [f["name"] for f in listed] == BROWSER_NAMES
    assert {f["file"] for f in panel.request("GET", f"batches/{batch}/findings").json()["findings"]} <= set(
        BROWSER_NAMES
    )
    # the panel's Type menu addresses a file by its name in the URL (encodeURIComponent)
    for name in BROWSER_NAMES:
        changed = panel.request(
            "PUT", f"batches/{batch}/files/{quote(name, safe='')}/type", json={"type": "user_roles"}
        )
        assert changed.status_code == 200, (name, changed.text)
    csv_text = panel.request("GET", f"batches/{batch}/findings.csv").text
    assert all(name.replace('"', '""') in csv_text for name in BROWSER_NAMES)


def test_rfc_5987_and_decomposed_names(panel: Panel) -> None:
    body = raw_upload(
        panel,
        [
            # both forms: the extended one wins (RFC 6266 §4.3)
            b"filename=\"Bundles.csv\"; filename*=UTF-8''Bundles%20%E2%80%93%20v2.csv",
            # the extended form alone still makes the part a file
            b"filename*=utf-8'en'%D0%9F%D0%BE%D0%BB%D1%8F.csv",
            b"filename*=ISO-8859-1''Caf%E9s.csv",
            # quoted, as some clients write it against the grammar; and a plain name that merely mentions it
            b"filename*=\"UTF-8''Vues%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB.csv\"",
            b"filename=\"not; filename*=UTF-8''this.csv\"",
            # macOS hands browsers decomposed accents; the name is stored composed, as it displays
            'filename="Cafe\u0301 menu.csv"'.encode(),
        ],
    )
    assert [f["name"] for f in body["files"]] == [
        "Bundles \u2013 v2.csv",
        "\u041f\u043e\u043b\u044f.csv",
        "Caf\u00e9s.csv",
        "Vues \u00ab \u00e9t\u00e9 \u00bb.csv",
        "not; filename*=UTF-8''this.csv",
        "Caf\u00e9 menu.csv",
    ]


@pytest.mark.parametrize(
    ("disposition", "why"),
    [
        (b"filename*=UTF-8''%FF%FE.csv", "not valid UTF-8"),
        (b"filename*=KOI8-R''%F0.csv", "character set"),
        ('filename="evil\u202egsv.csv"'.encode(), "control"),
        (b'filename="tab\there.csv"', "control"),
    ],
)
def test_file_names_that_cannot_be_shown_faithfully_are_refused(
    panel: Panel, disposition: bytes, why: str
) -> None:
    body = b'--%s\r\nContent-Disposition: form-data; name="files"; %s\r\n\r\n%s\r\n--%s--\r\n' % (
        BOUNDARY.encode(),
        disposition,
        ROLES,
        BOUNDARY.encode(),
    )
    response = panel.request(
        "POST", "batches", content=body, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_file_name" and why in error["message"]
    assert panel.request("GET", "batches").json()["batches"] == []


def test_a_nul_byte_past_the_first_8_kb_is_a_finding_not_a_server_error(panel: Panel) -> None:
    rows = b"".join(b",Editor %d,editor_%d,a\n" % (i, i) for i in range(2000))
    data = b"ID,Name,Machine name,X\n" + rows + b",Edit\x00or,editor,a\n"
    response = panel.request("POST", "batches", files=[("files", ("roles.csv", data, "text/csv"))])
    assert response.status_code == 201, response.text
    assert response.json()["batch"]["status"] == "invalid"
    batch = response.json()["batch"]["id"]
    [finding] = panel.request("GET", f"batches/{batch}/findings").json()["findings"]
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    assert (finding["code"], finding["severity"], finding["file"]) == ("nul_character", "error", "roles.csv")
    assert f"line {line}" in finding["message"]
    drafting = panel.request("POST", f"batches/{batch}/drafting")
    assert drafting.status_code == 409, drafting.text


def test_a_nul_in_a_form_field_or_a_draft_edit_is_refused_naming_where(panel: Panel) -> None:
    named = panel.request(
        "POST", "batches", files=[("files", ("roles.csv", ROLES, "text/csv"))], data={"name": "UWEC\x00"}
    )
    assert named.status_code == 422, named.text
    assert named.json()["error"] == {
        "code": "invalid_text",
        "message": "The form field 'name' contains a NUL character; remove it.",
    }
    assert panel.request("GET", "batches").json()["batches"] == []

    batch = panel.request("POST", "batches", files=[("files", ("roles.csv", ROLES, "text/csv"))]).json()
    drafts = f"batches/{batch['batch']['id']}/drafts"
    assert panel.request("POST", f"batches/{batch['batch']['id']}/drafting").status_code == 202
    panel.client.portal.call(pipeline.wait_idle)
    [draft] = panel.request("GET", drafts).json()["drafts"]
    for edit, where in (
        ({"summary": "Create\x00 Editor"}, "'summary'"),
        ({"criteria": ["fine", "not\x00 fine"]}, "'criteria'[1]"),
    ):
        refused = panel.request("PATCH", f"{drafts}/{draft['key']}", json=edit)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["message"] == (
            f"The text in {where} contains a NUL character (\\u0000); remove it."
        )
    assert panel.request("GET", f"{drafts}/{draft['key']}").json()["draft"]["summary"] == draft["summary"]
