"""Issue 15's proof: UWEC exported, then revised the ways specs really change (tests/resync/revise.py) while
people work in Jira, and re-synced against the sandbox through the app's own upload, drafting, plan,
approval gate and export actor.

One scenario, one export of UWEC shared by every assert: the plan holds exactly the six edits plus what Jira
says (one issue Done, one a person rewrote), the export refuses while the conflict is open, the settled plan
is applied once, and a second re-sync of the same spec finds nothing to do.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from app import pipeline
from app.jira import ConnectJwtAuth
from app.store import Store
from tests.conftest import UWEC
from tests.resync.revise import revise_uwec
from tests.resync.test_revised_uwec import row_changes
from tests.sandbox.conftest import APP_KEY
from ticketgen.resync import CHANGED_LABEL, NOTE_PROPERTY, REMOVED_LABEL, Exported, ResyncPlan, resolve
from ticketgen.resync.between import plan_against, records_of
from ticketgen.spec import load_dir

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .test_resync import comments, jira_edit, make_plan
from .world import PROJECT, World, check_export

EDITED = "bundle:node.college"  # rewritten by a person after export: the one conflict
FINISHED = "workflow:non_moderated"  # moved to Done after export (the revision adds a link to it)
SWITCHED = "bundle:node.job"  # marked x in the revision
PODCAST = "bundle:node.podcast"  # the new content type
PERSON = {"type": "doc", "version": 1, "content": [
    {"type": "paragraph", "content": [{"type": "text", "text": "Rewritten by the site builder."}]}]}  # fmt: skip


def files_of(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]


def drafted_upload(world: World, folder: Path, name: str) -> str:
    """The spec uploaded and drafted as the panel does it (checked, then the drafting actor's planner and
    template writer): a batch that is drafted, not submitted."""

    async def upload(store: Store) -> tuple[str, str]:
        tenant = await store.get_tenant(world.tenant_id)
        assert tenant is not None
        batch = await pipeline.store_upload(
            store, tenant, project_key=PROJECT, project_id="10000", name=name, created_by="tester",
            files=files_of(folder),
        )  # fmt: skip
        return batch.id, await pipeline.start_drafting(store, tenant, batch.id, by="tester")

    batch_id, run_id = world.db(upload)
    run = world.wait(run_id)
    assert run.status == "succeeded", (run.message, run.errors)
    return batch_id


def gate(world: World, batch_id: str, *, plan: ResyncPlan | None = None) -> str:
    """Through the approval gate (with `plan`: as a re-sync batch carrying it), then exported."""

    async def go(store: Store) -> None:
        t = world.tenant_id
        if plan is not None:
            assert await store.set_resync_plan(t, batch_id, plan.to_json())
        assert await store.submit(t, batch_id, by="tester", existing_issues="resync" if plan else None)
        assert await store.approve(t, batch_id, by="approver")

    world.db(go)
    return start_export(world, batch_id)


def move_to_done(world: World, issue_key: str) -> None:
    """Moved to Done as a person moves it: with the transition the sandbox's workflow offers (its REST API
    takes the app's signature only; who moves it makes no difference to the re-sync)."""
    site = world.site
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    url = f"{site.base_url}/rest/api/3/issue/{issue_key}/transitions"
    offered = requests.get(url, auth=auth, timeout=10).json()["transitions"]
    done = next(t["id"] for t in offered if t["to"]["statusCategory"]["key"] == "done")
    assert requests.post(url, json={"transition": {"id": done}}, auth=auth, timeout=10).status_code == 204


def writes(world: World) -> dict[str, int]:
    return {k: v["count"] for k, v in world.site.stats()["requests"].items() if not k.startswith("GET")}


def newest(world: World, issue_key: str, since: int) -> str:
    """The issue's attachment the re-sync made (numbered after `since`, the last the export made): the full
    description of a draft too long for the issue body, which is such an issue's edit more than its shortened
    body. The export's copy of the same name is gone by then: one file per name."""
    store = world.site.sandbox.state.store
    found = store.issue(issue_key)
    assert found is not None
    files = store.attachments_of(found.id)
    assert len({f.filename for f in files}) == len(files), [f.filename for f in files]
    fresh = [f.id for f in files if f.id > since]
    if not fresh:
        return ""
    loaded = store.attachment_content(max(fresh))
    assert loaded is not None
    return loaded[1].decode()


def text_of(issue: Any) -> str:
    return json.dumps(issue.fields["description"], ensure_ascii=False)


def test_uwec_revised_is_re_synced_once_with_the_conflict_held_and_nothing_duplicated(
    embedded: World,  # noqa: F811
    tmp_path: Path,
) -> None:
    world = embedded
    world.site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=True)
    store = world.site.sandbox.state.store

    # UWEC exported, then people work in Jira: one description rewritten, one issue moved to Done
    first = drafted_upload(world, UWEC, "UWEC")
    run = world.wait(gate(world, first))
    assert run.status == "succeeded", (run.message, run.errors)
    drafts = world.db(lambda s: s.load_drafts(world.tenant_id, first))
    issue = {key: found.key for key, found in check_export(world, first, drafts).items()}
    jira_edit(world, issue[EDITED], description=PERSON)
    move_to_done(world, issue[FINISHED])
    before = {key: store.issue(key) for key in issue.values()}
    exported = max((a.id for i in before.values() if i for a in store.attachments_of(i.id)), default=0)

    # the revised spec uploaded and planned: exactly the pure plan's edits, with Jira's state on top
    revised = revise_uwec(tmp_path / "uwec-revised")
    second = drafted_upload(world, revised, "UWEC revised")
    plan = make_plan(world, second)
    assert plan is not None and plan.meta["source_batch"] == first
    spec = load_dir(UWEC)
    pure = plan_against(records_of(spec, drafts), load_dir(revised))
    assert row_changes(plan) == row_changes(pure)  # the six edits' rows (tests/resync/test_revised_uwec.py)
    assert {(r[0], r[3]) for r in row_changes(plan)} >= {
        ("fields:node.college", "added"),
        ("view:facts", "removed"),
    }
    assert {c.draft_key for c in plan.changed} == {c.draft_key for c in pure.changed} - {EDITED}
    assert (plan.headline(), plan.counts()["links_add"], plan.counts()["links_remove"]) == (
        "30 changed, 1 new, 1 removed, 1 conflict",
        2,
        5,
    )  # what the approver reads in Slack
    (conflict,) = plan.conflicts
    assert (conflict.change.draft_key, conflict.change.issue_key) == (EDITED, issue[EDITED])
    assert [s.name for s in conflict.change.sections] == ["questions"] and conflict.edited_sections
    actions = {c.draft_key: (c.action, c.labels) for c in plan.changed}
    assert actions[FINISHED] == ("comment", (CHANGED_LABEL,))
    assert {k for k, (action, _) in actions.items() if action == "comment"} == {FINISHED}
    for key in ("fields:node.college", "fields:node.academic_program", "view:facts", "image_styles:730x840"):
        assert actions[key] == ("update", ()), key  # field added, widget, display dropped, style size
    assert [(n.draft_key, {(link.blocker, link.blocked) for link in n.links}) for n in plan.new] == [
        (PODCAST, {("user_role:site_admin", PODCAST), (PODCAST, FINISHED)})
    ]
    (removed,) = plan.removed
    assert (removed.draft_key, removed.issue_key, removed.labels) == (
        SWITCHED,
        issue[SWITCHED],
        (REMOVED_LABEL,),
    )
    assert removed.reason == "marked x in UWEC_Bundles.csv row 11"  # read from the batches' stored files
    assert {(link.blocker, link.blocked) for link in plan.links_remove} == {
        (link.blocker, link.blocked) for link in pure.links_remove
    }
    assert all(SWITCHED in (link.blocker, link.blocked) for link in plan.links_remove)
    assert plan.unchanged == pure.unchanged

    # the export refuses while the conflict is open, before anything is sent
    sent = writes(world)
    refused = world.wait(gate(world, second, plan=plan))
    assert refused.status == "failed" and f"not settled ({issue[EDITED]} " in refused.message, refused.message
    assert world.batch_status(second) == "drafted" and writes(world) == sent

    # settled (the spec's changes as a comment on the person's text), approved again, applied
    settled = resolve(plan, {EDITED: "comment"})
    assert not settled.conflicts
    run = world.wait(gate(world, second, plan=settled))
    assert run.status == "succeeded", (run.message, run.errors)
    assert world.batch_status(second) == "exported"

    records = world.records(second)
    attached = {k for k, r in records.items() if r.attachment_state != "none"}  # the edits over the budget
    assert attached and {records[k].attachment_state for k in attached} == {"replaced"}
    deletes = world.site.stats()["requests"]["DELETE /rest/api/3/attachment/{id}"]["statuses"]
    assert deletes == {"204": len(attached)}, "each edited issue's export copy deleted, once"
    now = {key: store.issue(key) for key in issue.values()}
    updated = {c.draft_key for c in settled.changed if c.action == "update"}
    assert {k for k, r in records.items() if r.state == "updated"} == updated
    for key in updated:
        told = Exported.from_dict(json.loads(records[key].sent))
        reattached = newest(world, issue[key], exported)  # also: one file per name on the issue
        assert text_of(now[issue[key]]) != text_of(before[issue[key]]) or reattached, key
        assert now[issue[key]].fields["summary"] == told.summary, key
    college = now[issue["fields:node.college"]]
    assert college.fields["summary"] == "Add 17 fields to the College content type"
    assert "field_founded_year" in text_of(college)
    widget = [
        line
        for line in newest(world, issue["fields:node.academic_program"], exported).splitlines()
        if line.startswith("| ") and "| field_college |" in line
    ]  # its table row, attached
    assert len(widget) == 1 and "Select list" in widget[0] and "Autocomplete" not in widget[0], widget
    assert "730x820" in text_of(now[issue["image_styles:730x840"]])
    assert '"review"' not in text_of(now[issue["view:facts"]])
    assert '"review"' in text_of(before[issue["view:facts"]])

    notes = {EDITED: CHANGED_LABEL, FINISHED: CHANGED_LABEL, SWITCHED: REMOVED_LABEL}
    for key, label in notes.items():  # commented and labelled, never edited nor deleted
        (comment,) = comments(world, issue[key])
        assert comment.properties[NOTE_PROPERTY] == {"batchId": second, "step": f"comment:{key}"}
        assert label in now[issue[key]].fields["labels"], key
        assert text_of(now[issue[key]]) == text_of(before[issue[key]]), key
    assert text_of(now[issue[EDITED]]) == json.dumps(PERSON, ensure_ascii=False)
    assert now[issue[FINISHED]].fields["status"]["statusCategory"]["key"] == "done"
    assert "marked x in UWEC_Bundles.csv row 11" in json.dumps(comments(world, issue[SWITCHED])[0].body)
    untouched = set(issue) - updated - set(notes)
    assert all(text_of(now[issue[k]]) == text_of(before[issue[k]]) for k in untouched)
    assert all(not comments(world, issue[k]) for k in untouched)
    assert all(now[issue[k]].fields.get("labels") == before[issue[k]].fields.get("labels") for k in untouched)

    # nothing twice: one issue per draft key, one comment per note, each label once
    props = store.all_properties()
    per_draft = Counter(
        props.get(i.id, {}).get("ticketgen", {}).get("draftKey") for i in store.issues(PROJECT)
    )
    assert set(per_draft.values()) == {1} and len(per_draft) == len(drafts) + 1
    assert (world.site.issues_by_draft(second).keys(), len(world.site.issues_by_draft(second)[PODCAST])) == (
        {PODCAST},
        1,
    )
    assert sum(len(comments(world, i.key)) for i in store.issues(PROJECT)) == len(notes)
    assert all(len(i.fields["labels"]) == len(set(i.fields["labels"])) for i in store.issues(PROJECT))
    assert world.site.stats()["duplicates"]["by_property"] == 0

    # the links: the new content type's two, the switched bundle's gone, no other link touched
    ids = {key: store.issue(key_).id for key, key_ in issue.items()}
    ids[PODCAST] = world.site.issues_by_draft(second)[PODCAST][0].id
    links = {(link.inward_id, link.outward_id) for link in store.links()}
    wanted = {(ids[b], ids[d.key]) for d in world.db(lambda s: s.load_drafts(world.tenant_id, second))
              for b in d.depends_on if b in ids}  # fmt: skip
    assert links == wanted
    assert (ids["user_role:site_admin"], ids[PODCAST]) in links and (ids[PODCAST], ids[FINISHED]) in links
    assert not any(ids[SWITCHED] in pair for pair in links)

    # a second re-sync of the same spec plans nothing
    again = make_plan(world, drafted_upload(world, revised, "UWEC revised, again"))
    assert again is not None and again.meta["source_batch"] == second
    assert again.is_empty and not again.conflicts, again.counts()
