"""The Slack stand-in refuses what Slack refuses. Each rule is checked against Slack's reference (cited in
`tests/peers/slack_server.py`), never against the bot: a stand-in that takes what Slack would refuse lets a
defect through to production, as two `batch_open` buttons in one block once did."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.peers.slack_server import Message, SlackServer, block_errors, check_message, view_errors

CHANNEL = "C0APPROVALS"


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def button(action_id: str, label: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(label), "action_id": action_id, **extra}


def actions(*elements: dict[str, Any], block_id: str = "") -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)}
    return {**block, "block_id": block_id} if block_id else block


CONFIRM = {
    "title": plain("Sure?"),
    "text": plain("It cannot be undone."),
    "confirm": plain("Yes"),
    "deny": plain("No"),
}

# (what Slack refuses, the blocks, a fragment of the error). Each passed the stand-in before it was made strict.
REFUSED: list[tuple[str, list[dict[str, Any]], str]] = [
    (
        "two elements of one block share an action_id",
        [actions(button("batch_open"), button("batch_open", "Other"))],
        '`action_id` "batch_open" already exists [json-pointer:/blocks/0/elements/1/action_id]',
    ),
    (
        "two blocks of one message share a block_id",
        [
            {"type": "section", "block_id": "links", "text": mrkdwn("a")},
            actions(button("a"), block_id="links"),
        ],
        '`block_id` "links" already exists [json-pointer:/blocks/1/block_id]',
    ),
    ("a header in mrkdwn", [{"type": "header", "text": mrkdwn("*Title*")}], "/blocks/0/text/type"),
    ("a button label in mrkdwn", [actions({**button("a"), "text": mrkdwn("*Go*")})], "/elements/0/text/type"),
    ("a button label over 75", [actions(button("a", "x" * 76))], "must be less than 76 characters"),
    ("a button url over 3000", [actions(button("a", url="https://x/" + "q" * 3000))], "/elements/0/url"),
    ("a button style Slack has not", [actions(button("a", style="secondary"))], "/elements/0/style"),
    ("a property Slack does not know", [actions(button("a", disabled=True))], "invalid additional property"),
    (
        "a confirm dialog text in mrkdwn",
        [actions(button("a", confirm={**CONFIRM, "text": mrkdwn("It *cannot* be undone.")}))],
        "/elements/0/confirm/text/type",
    ),
    (
        "a confirm dialog without deny",
        [actions(button("a", confirm={k: v for k, v in CONFIRM.items() if k != "deny"}))],
        "missing required field: text [json-pointer:/blocks/0/elements/0/confirm/deny]",
    ),
    (
        "a confirm dialog text over 300",
        [actions(button("a", confirm={**CONFIRM, "text": plain("x" * 301)}))],
        "must be less than 301 characters",
    ),
    (
        "a confirm button over 30",
        [actions(button("a", confirm={**CONFIRM, "confirm": plain("x" * 31)}))],
        "must be less than 31 characters",
    ),
    ("an empty section text", [{"type": "section", "text": mrkdwn("")}], "must be more than 0 characters"),
    (
        "a section field over 2000",
        [{"type": "section", "fields": [mrkdwn("x" * 2001)]}],
        "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
    ),
    (
        "a context of 11 elements",
        [{"type": "context", "elements": [mrkdwn(str(i)) for i in range(11)]}],
        "must provide 1 to 10 items",
    ),
    ("a context text over 3000", [{"type": "context", "elements": [mrkdwn("x" * 3001)]}], "/elements/0/text"),
    (
        "a plain_text with verbatim",
        [{"type": "section", "text": {**plain("a"), "verbatim": True}}],
        "verbatim",
    ),
]


@pytest.mark.parametrize(("rule", "blocks", "error"), REFUSED, ids=[r[0] for r in REFUSED])
def test_block_kit_rules(rule: str, blocks: list[dict[str, Any]], error: str) -> None:
    errors = block_errors(blocks)
    assert any(error in e for e in errors), errors


def test_what_slack_takes_passes() -> None:
    """The refusals are exact: the same action_id in two blocks is allowed (unique per containing block),
    and every limit is inclusive."""
    blocks = [
        {"type": "header", "text": plain("h" * 150)},
        {"type": "section", "text": mrkdwn("s" * 3000), "fields": [mrkdwn("f" * 2000)] * 10},
        {"type": "context", "elements": [mrkdwn("c")] * 10},
        actions(button("open", "b" * 75, url="https://x/" + "q" * 2990, value="v" * 2000, confirm=CONFIRM)),
        actions(button("open"), block_id="second"),
        actions(*(button(f"b{i}") for i in range(25))),
        {"type": "divider"},
    ]
    assert block_errors(blocks) == []
    assert check_message({"text": "fallback", "blocks": blocks}) == ""


def test_at_most_50_blocks_in_a_message_and_100_in_a_modal() -> None:
    divider = {"type": "divider"}
    assert block_errors([divider] * 50) == [] and block_errors([divider] * 100, surface="modal") == []
    assert block_errors([divider] * 51) == ["must provide at most 50 items [json-pointer:/blocks]"]


def test_a_modal_title_is_plain_text_of_at_most_24_characters() -> None:
    modal = {"type": "modal", "title": plain("Reject batch"), "blocks": []}
    assert view_errors(modal) == []
    assert view_errors({**modal, "title": plain("x" * 25)}) != []
    assert view_errors({**modal, "title": mrkdwn("Reject")}) != []


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


@pytest.fixture
async def client(slack: SlackServer) -> AsyncIterator[AsyncWebClient]:
    yield AsyncWebClient(token=slack.token, base_url=slack.api_url)


async def test_invalid_blocks_are_refused_over_the_wire_in_slacks_format(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    blocks = [actions(button("batch_open"), button("batch_open", "Other"))]
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel=CHANNEL, text="t", blocks=blocks)
    body = refused.value.response.data
    assert isinstance(body, dict) and body["error"] == "invalid_blocks"
    assert body["response_metadata"]["messages"] == [f"[ERROR] {e}" for e in body["errors"]]
    assert slack.messages == {} and slack.refused("chat.postMessage")[0][1] == "invalid_blocks"


async def test_text_over_40000_characters_is_cut_with_a_warning(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel=CHANNEL, text="x" * 40_001)
    assert posted["response_metadata"]["warnings"] == ["message_truncated"]
    assert len(slack.message(CHANNEL, posted["ts"]).text) == 40_000


async def test_chat_update_past_the_workspaces_edit_window_is_refused(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    slack.edit_window = 60.0  # "up to one minute", one of the workspace settings
    posted = await client.chat_postMessage(channel=CHANNEL, text="first")
    assert (await client.chat_update(channel=CHANNEL, ts=posted["ts"], text="second"))["ok"]
    slack.advance(61)
    with pytest.raises(SlackApiError) as refused:
        await client.chat_update(channel=CHANNEL, ts=posted["ts"], text="third")
    assert refused.value.response["error"] == "edit_window_closed"
    assert slack.message(CHANNEL, posted["ts"]).text == "second"


async def test_chat_update_without_blocks_keeps_the_blocks(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel=CHANNEL, text="a", blocks=[{"type": "divider"}])
    await client.chat_update(channel=CHANNEL, ts=posted["ts"], text="b")
    assert slack.message(CHANNEL, posted["ts"]).blocks == [{"type": "divider"}]


async def respond(url: str, **body: Any) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(url, json=body)


async def a_response_url(slack: SlackServer, client: AsyncWebClient) -> tuple[str, Message]:
    posted = await client.chat_postMessage(channel=CHANNEL, text="t", blocks=[actions(button("go"))])
    message = slack.message(CHANNEL, posted["ts"])
    return str(slack.block_actions_payload(message, "go", user="U1")["response_url"]), message


async def test_a_response_url_works_five_times(slack: SlackServer, client: AsyncWebClient) -> None:
    url, message = await a_response_url(slack, client)
    statuses = [(await respond(url, text=f"v{i}", replace_original=True)).status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert message.text == "v4" and slack.refused("response_url")[0][1] == "expired_url"


async def test_a_response_url_expires_after_30_minutes(slack: SlackServer, client: AsyncWebClient) -> None:
    url, message = await a_response_url(slack, client)
    slack.advance(30 * 60 + 1)
    assert (await respond(url, text="late", replace_original=True)).status_code == 404
    assert message.text == "t"


async def test_a_response_url_refuses_invalid_blocks(slack: SlackServer, client: AsyncWebClient) -> None:
    url, message = await a_response_url(slack, client)
    refused = await respond(
        url, text="t", blocks=[{"type": "header", "text": mrkdwn("x")}], replace_original=True
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_blocks"
    assert message.buttons().ids() == ["go"], "the message is unchanged"


def test_buttons_keep_duplicates_and_a_click_must_say_which(slack: SlackServer) -> None:
    # The same action_id in two blocks is valid Slack; a dict keyed by action_id kept only the second.
    message = Message(
        CHANNEL,
        "1.1",
        "t",
        [
            actions(button("batch_open", "A"), block_id="top"),
            actions(button("batch_open", "B"), block_id="end"),
        ],
    )
    buttons = message.buttons()
    assert buttons.ids() == ["batch_open", "batch_open"] and "batch_open" in buttons
    assert [b["block_id"] for b in buttons] == ["top", "end"]
    with pytest.raises(AssertionError, match="2 buttons"):
        buttons.one("batch_open")
    assert buttons.one("batch_open", block_id="end")["text"]["text"] == "B"
    payload = slack.block_actions_payload(message, "batch_open", user="U1", block_id="top")
    assert payload["actions"][0]["block_id"] == "top" and payload["actions"][0]["text"]["text"] == "A"


async def test_a_rate_limited_call_answers_429_with_retry_after(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    slack.fail_call(1)
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel=CHANNEL, text="t")
    response = refused.value.response
    assert response.status_code == 429 and response["error"] == "ratelimited"
    assert {k.lower(): v for k, v in response.headers.items()}["retry-after"] == "1"
    assert slack.messages == {} and slack.unused_call_faults() == 0


async def test_a_call_fault_hits_the_nth_request_whichever_it_is(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    url, message = await a_response_url(slack, client)
    slack.fail_call(2)
    assert (await client.chat_update(channel=CHANNEL, ts=message.ts, text="a"))["ok"]
    refused = await respond(url, text="b", replace_original=True)  # the second request: a response_url
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert refused.json()["error"] == "ratelimited" and message.text == "a"


async def test_a_dropped_call_closes_the_connection_unanswered(
    slack: SlackServer, client: AsyncWebClient
) -> None:
    slack.drop_call(1)  # and the one after it: slack_sdk retries a disconnect once by itself
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.chat_postMessage(channel=CHANNEL, text="t")
    assert len(slack.calls_to("chat.postMessage")) == 2 and slack.messages == {}
    assert slack.unused_call_faults() == 0
