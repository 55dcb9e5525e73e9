"""Issue 15: a re-sync edit of an issue whose description was too long for Jira's budget is its attachment
(the full description as Markdown): the new one is attached, and an upload whose outcome is unknown is
never mistaken for the attachment the issue got at export, which bears the same name."""

from __future__ import annotations

import dataclasses

import pytest

from ticketgen.adf import attachment_name, description_for

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .test_resync import FIRST, first, make_plan, resync_batch, uploaded  # noqa: F401 - `first`: a fixture
from .world import World

ATTACHMENTS = "/rest/api/3/issue/*/attachments"


def test_a_failed_upload_is_attached_again_not_taken_for_the_export_s_attachment(
    first: tuple[World, list, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, drafts, first_batch = first
    monkeypatch.setenv("JOBS_BACKOFF_MS", "100")
    big = drafts[0]  # its 900-row table makes it too long for a description: attached at export
    table = dataclasses.replace(big.tables[0], rows=[list(r) for r in big.tables[0].rows])
    table.rows[5][2] = "Corrected in the revised spec"
    new = [dataclasses.replace(big, tables=[table]), *drafts[1:FIRST]]
    wanted = description_for(new[0]).attachment
    assert wanted is not None and wanted.name == attachment_name(big), "the same name as the export's"
    plan = make_plan(world, uploaded(world, new))
    assert plan is not None and [(c.draft_key, c.action) for c in plan.changed] == [(big.key, "update")]

    world.site.fault(kind="error", status=503, method="POST", path=ATTACHMENTS, count=1)  # nothing attached
    run = world.wait(start_export(world, resync_batch(world, new, plan)))
    assert run.status == "succeeded", (run.message, run.errors)

    store = world.site.sandbox.state.store
    issue = store.issue(world.site.issues_by_draft(first_batch)[big.key][0].key)
    assert issue is not None
    files = store.attachments_of(issue.id)
    assert [f.filename for f in files] == [wanted.name, wanted.name], "the export's, then the re-sync's"
    newest = store.attachment_content(max(f.id for f in files))
    assert newest is not None and newest[1] == wanted.content
    statuses = world.site.stats()["requests"]["POST /rest/api/3/issue/{issue}/attachments"]["statuses"]
    assert statuses == {"200": 2, "503": 1}, "one upload at export, the refused one, the one that made it"
