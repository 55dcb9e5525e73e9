"""Issue 15: a re-sync edit of an issue whose description was too long for Jira's budget is its attachment
(the full description as Markdown): the new one is attached, and an upload whose outcome is unknown is
never mistaken for the attachment the issue got at export, which bears the same name. The export's copy is
then deleted, so the issue holds one file of that name; a person's file of that name is left alone, and a
site where the app may not delete keeps both, saying why, without failing the export."""

from __future__ import annotations

import dataclasses

import pytest

from jobs.export_superseded import superseded
from sandbox.permissions import APP_DEFAULT
from ticketgen.adf import attachment_name, description_for

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .test_resync import FIRST, first, make_plan, resync_batch, uploaded  # noqa: F401 - `first`: a fixture
from .world import World

ATTACHMENTS = "/rest/api/3/issue/*/attachments"
DELETES = "DELETE /rest/api/3/attachment/{id}"


def revised(world: World, drafts: list) -> tuple[list, str]:
    """The first batch's oversized draft with one cell corrected, and the re-sync batch that edits it."""
    big = drafts[0]  # its 900-row table makes it too long for a description: attached at export
    table = dataclasses.replace(big.tables[0], rows=[list(r) for r in big.tables[0].rows])
    table.rows[5][2] = "Corrected in the revised spec"
    new = [dataclasses.replace(big, tables=[table]), *drafts[1:FIRST]]
    plan = make_plan(world, uploaded(world, new))
    assert plan is not None and [(c.draft_key, c.action) for c in plan.changed] == [(big.key, "update")]
    return new, resync_batch(world, new, plan)


def test_a_failed_upload_is_attached_again_not_taken_for_the_export_s_attachment(
    first: tuple[World, list, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, drafts, first_batch = first
    monkeypatch.setenv("JOBS_BACKOFF_MS", "100")
    big = drafts[0]
    store = world.site.sandbox.state.store
    issue = store.issue(world.site.issues_by_draft(first_batch)[big.key][0].key)
    assert issue is not None
    [exported] = store.attachments_of(issue.id)
    new, batch_id = revised(world, drafts)
    wanted = description_for(new[0]).attachment
    assert wanted is not None and wanted.name == attachment_name(big) == exported.filename, "the same name"

    world.site.fault(kind="error", status=503, method="POST", path=ATTACHMENTS, count=1)  # nothing attached
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)

    [current] = store.attachments_of(issue.id)
    assert current.filename == wanted.name and current.id > exported.id, "the export's copy is gone"
    content = store.attachment_content(current.id)
    assert content is not None and content[1] == wanted.content
    statuses = world.site.stats()["requests"]["POST /rest/api/3/issue/{issue}/attachments"]["statuses"]
    assert statuses == {"200": 2, "503": 1}, "one upload at export, the refused one, the one that made it"
    assert world.site.stats()["requests"][DELETES]["statuses"] == {"204": 1}
    record = world.records(batch_id)[big.key]
    assert (record.attachment_state, record.attachment_id, record.error) == (
        "replaced",
        str(current.id),
        None,
    )


def test_a_lost_delete_is_not_sent_twice_and_a_person_s_file_of_that_name_stays(
    first: tuple[World, list, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, drafts, first_batch = first
    monkeypatch.setenv("JOBS_BACKOFF_MS", "100")
    store, site = world.site.sandbox.state.store, world.site
    issue = store.issue(site.issues_by_draft(first_batch)[drafts[0].key][0].key)
    assert issue is not None
    [exported] = store.attachments_of(issue.id)
    person = site.sandbox.state.settings.user_account_id  # a person's copy, named like the app's
    theirs = store.add_attachment(issue.id, exported.filename, "text/markdown", b"my notes", author=person)
    _, batch_id = revised(world, drafts)

    site.fault(kind="drop", method="DELETE", path="/rest/api/3/attachment/*", count=1)  # deleted, no answer
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)

    files = store.attachments_of(issue.id)
    assert [f.id for f in files][:1] == [theirs.id] and len(files) == 2, "the person's file, the revised one"
    assert exported.id not in {f.id for f in files}
    sent = site.stats()["requests"][DELETES]["statuses"]
    assert sent == {"dropped": 1}, "the retried pass read the issue back and found the file gone"
    assert world.records(batch_id)[drafts[0].key].attachment_state == "replaced"


def test_without_delete_permission_both_files_stay_and_the_record_says_why(
    first: tuple[World, list, str],  # noqa: F811
) -> None:
    world, drafts, first_batch = first
    store, site = world.site.sandbox.state.store, world.site
    issue = store.issue(site.issues_by_draft(first_batch)[drafts[0].key][0].key)
    assert issue is not None
    granted = APP_DEFAULT.in_project(issue.fields["project"]["key"])
    site.permissions(
        "app", projects={"*": sorted(granted - {"DELETE_OWN_ATTACHMENTS", "DELETE_ALL_ATTACHMENTS"})}
    )
    _, batch_id = revised(world, drafts)

    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)

    files = store.attachments_of(issue.id)
    assert [f.filename for f in files] == [attachment_name(drafts[0])] * 2, "the export's and the revised one"
    assert site.stats()["requests"][DELETES]["statuses"] == {"403": 1}
    record = world.records(batch_id)[drafts[0].key]
    assert record.attachment_state == "replaced" and record.attachment_id == str(files[-1].id)
    assert record.error is not None and "kept beside the revised one" in record.error
    assert issue.key in record.error and "Delete Own Attachments" in record.error


def test_only_the_app_s_older_copies_of_the_name_are_superseded() -> None:
    app, person = {"accountId": "app-user"}, {"accountId": "a-person"}
    files = [
        {"id": "10", "filename": "d.md", "author": app},  # the export's: superseded
        {"id": "11", "filename": "d.md", "author": person},  # a person's, named like it
        {"id": "12", "filename": "other.md", "author": app},
        {"id": "13", "filename": "d.md"},  # no uploader named: not known to be the app's
        {"id": "9", "filename": "d.md", "author": app},  # older still
        {"id": "14", "filename": "d.md", "author": app},  # the revised one
        {"id": "15", "filename": "d.md", "author": app},  # newer than it: never
    ]
    assert superseded(files, "d.md", "14") == ["9", "10"]
    assert superseded(files, "d.md", "99") == [], "the revised file is not there: nothing is decided"
    assert superseded([{k: v for k, v in f.items() if k != "author"} for f in files], "d.md", "14") == []
