"""Issue 14, item 1: a pending approval can be withdrawn with a button, not only by editing a draft. The
request's Slack message is redrawn, so no approver acts on a request that no longer stands; a click on it
would be refused anyway."""

from __future__ import annotations

import copy
from pathlib import Path

from bot import messages, notify
from tests.bot.conftest import CHANNEL, LEAD, open_world
from tests.peers.slack_server import SlackServer


async def test_a_withdrawn_request_is_redrawn_without_its_buttons_and_a_click_changes_nothing(
    tmp_path: Path, slack: SlackServer
) -> None:
    async with open_world(tmp_path, slack) as world:
        ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
        assert ts
        stale = copy.deepcopy(slack.message(CHANNEL, ts))  # as an approver's Slack still shows it
        t, b = world.tenant_id, world.batch_id
        assert await world.store.transition(t, b, to="drafted", expect={"awaiting_approval"})
        assert await notify.show_current_state(world.config, world.store, t, b)  # the `refresh` job
        redrawn = slack.message(CHANNEL, ts)
        assert "Withdrawn: the request was taken back" in redrawn.all_text()
        assert messages.APPROVE not in redrawn.buttons() and messages.REJECT not in redrawn.buttons()

        response = await slack.click(world.events_url, stale, messages.APPROVE, user=LEAD)
        assert response.status_code == 200
        assert (await world.batch()).status == "drafted" and world.exports.calls == []
