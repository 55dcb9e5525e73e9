"""Issue 15: the approval request of a re-sync batch, posted through the real app to the Slack stand-in (which
validates the blocks as Slack does), summarises the plan stored on the batch."""

from __future__ import annotations

from bot import notify
from tests.bot.conftest import CHANNEL, World
from ticketgen.resync import Changed, Conflict, Link, New, Removed, ResyncPlan


def stored_plan() -> ResyncPlan:
    def changed(n: int) -> Changed:
        return Changed(f"fields:node.t{n}", f"UWEC-{n}", f"Add fields to T{n}", None, ())

    return ResyncPlan(
        changed=tuple(changed(n) for n in range(1, 4)),
        new=(New("bundle:node.podcast", "bundle", "Create Podcast content type"),),
        removed=(Removed("bundle:node.job", "UWEC-9", "Create Job", "marked x", None, "gone"),),
        links_add=(Link("bundle:node.podcast", "fields:node.t1", None, "UWEC-1"),),
        conflicts=(Conflict(changed(5), ("story",)),),
        unchanged=170,
        meta={"source_batch": "earlier"},
    )


async def test_the_request_for_a_resync_batch_says_what_its_plan_changes(world: World) -> None:
    assert await world.store.set_resync_plan(world.tenant_id, world.batch_id, stored_plan().to_json())
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert ts
    message = world.slack.message(CHANNEL, ts)
    text = message.all_text()
    assert "Re-sync of UWEC:* 3 changed, 1 new, 1 removed, 1 conflict · 1 link added" in text
    assert "1 issue edited in Jira since export is not settled" in text
    assert "asks to re-sync UWEC" in message.text

    settled = ResyncPlan(changed=stored_plan().changed, meta={"source_batch": "earlier"})
    assert await world.store.set_resync_plan(world.tenant_id, world.batch_id, settled.to_json())
    again = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert again == ts  # the same message, refreshed from the plan now stored
    text = world.slack.message(CHANNEL, ts).all_text()
    assert "Re-sync of UWEC:* 3 changed, 0 new, 0 removed, 0 conflicts" in text
    assert "not settled" not in text and "link" not in text.split("Re-sync of UWEC")[1].split("\n")[0]
