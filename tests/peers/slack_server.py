"""A local Slack: the Web API subset the bot uses, and the interaction deliveries Slack makes to the app.

`SlackServer` is a real HTTP server (127.0.0.1, ephemeral port, background thread) that answers
`auth.test`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `views.open` and `response_url` POSTs
in Slack's wire format (HTTP 200 with `{"ok": false, "error": …}` for refusals, 429 + Retry-After when rate
limited), checks the bot token, keeps the channel's messages, and records every call.

It refuses what Slack refuses, checked against Slack's reference rather than against the bot (see
`block_errors`): Block Kit limits and required `plain_text`, action_ids unique within their block, block_ids
unique within the message, at most 50 blocks, and top-level `text` truncated at 40,000 characters. A
`chat.update` past the workspace's edit window is refused with `edit_window_closed`, and a `response_url`
works five times within 30 minutes. The stand-in's clock can be moved (`advance`) to reach those limits
without waiting.

Several workspaces (`add_workspace`), each with its own channels and tokens, and the OAuth v2 install that
gives the app a token in one (`register_app`, `authorize`, `oauth.v2.access`, `conversations.info`): see
`tests/peers/slack_workspaces.py`.

`click` / `submit_view` deliver interactions to the app's `/slack/events` exactly as Slack does: a
form-encoded `payload` field, signed with `X-Slack-Signature` over `v0:{timestamp}:{body}`.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from slack_sdk.signature import SignatureVerifier

from tests.peers.slack_workspaces import ALL_SCOPES, METHOD_SCOPES, OAuth, OAuthApp, Workspace

TEAM_ID = "T0TESTTEAM"
BOT_USER = "U0BOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str = ""
    posted_at: float = 0.0  # on the stand-in's clock: what the edit window is measured from
    history: list[dict[str, Any]] = field(default_factory=list)  # every version, oldest first

    def buttons(self) -> Buttons:
        """Every button, duplicates kept: a message with two buttons of one action_id shows both."""
        found = []
        for block in self.blocks:
            elements = block.get("elements", []) if block.get("type") == "actions" else []
            accessory = [block["accessory"]] if isinstance(block.get("accessory"), dict) else []
            for element in [*elements, *accessory]:
                if element.get("type") == "button":
                    found.append({**element, "block_id": block.get("block_id", "")})
        return Buttons(found)

    def all_text(self) -> str:
        return json.dumps(self.blocks, ensure_ascii=False) + self.text


class Buttons(Sequence[dict[str, Any]]):
    """A message's buttons in order. `action_id in buttons` asks whether any button has that action_id;
    `one` finds the button a click would come from, and refuses when two buttons could be meant."""

    def __init__(self, found: Iterable[dict[str, Any]]) -> None:
        self._found = tuple(found)

    def __getitem__(self, index: int) -> dict[str, Any]:  # type: ignore[override]
        return self._found[index]

    def __len__(self) -> int:
        return len(self._found)

    def __contains__(self, action_id: object) -> bool:
        return any(b.get("action_id") == action_id for b in self._found)

    def ids(self) -> list[str]:
        return [str(b.get("action_id", "")) for b in self._found]

    def one(self, action_id: str, *, block_id: str | None = None) -> dict[str, Any]:
        matches = [
            b
            for b in self._found
            if b.get("action_id") == action_id and block_id in (None, b.get("block_id"))
        ]
        if len(matches) != 1:
            where = f" in block {block_id!r}" if block_id is not None else ""
            raise AssertionError(f"{len(matches)} buttons with action_id {action_id!r}{where}: {self.ids()}")
        return matches[0]


@dataclass
class ResponseUrl:
    channel: str
    ts: str
    issued: float
    uses: int = 0


class SlackServer:
    def __init__(
        self,
        *,
        token: str | None = None,
        signing_secret: str | None = None,
        team_id: str = TEAM_ID,
        channels: tuple[str, ...] = ("C0APPROVALS",),
        edit_window: float | None = None,
    ) -> None:
        """`edit_window`: the workspace's "allow editing" setting in seconds (None: any time, Slack's
        default; 0: never). Slack's help article "Manage permissions for message editing and deletion" lists
        any time, never, or a period from one minute to one week; chat.update answers `edit_window_closed`
        ("The message cannot be edited due to the team message edit settings") past it."""
        self.token = token or "xoxb-test-" + secrets.token_hex(12)
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.team_id = team_id
        self.channels = set(channels)
        # The first workspace holds the constructor's channels and token (single-company mode's one bot).
        first = Workspace(team_id, "Example", self.channels, {self.token: ALL_SCOPES})
        self.workspaces: dict[str, Workspace] = {team_id: first}
        self.oauth = OAuth(self.now)
        self._caller = first
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Message] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.refusals: list[tuple[str, str, list[str]]] = []  # (method or "response_url", error, details)
        self.edit_window = edit_window
        self._offset = 0.0
        self._triggers: dict[str, float] = {}
        self._response_urls: dict[str, ResponseUrl] = {}
        self._faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._served = 0  # Web API calls and response_url POSTs, counted together (see `fail_call`)
        self._nth_faults: dict[int, tuple[int, dict[str, Any]]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="slack-stand-in", daemon=True)

    # --- life cycle ---

    def __enter__(self) -> SlackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # --- test controls ---

    def now(self) -> float:
        """The stand-in's clock: wall time plus whatever `advance` added."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Moves the stand-in's clock: edit windows close, response_urls and trigger_ids expire."""
        with self._lock:
            self._offset += seconds

    def add_workspace(self, team_id: str, *, name: str, channels: tuple[str, ...]) -> Workspace:
        """Another workspace; the app has no token in it until it is installed there (`install`)."""
        taken = {c for w in self.workspaces.values() for c in w.channels}
        assert not taken & set(channels), "a channel id belongs to one workspace"
        with self._lock:
            self.workspaces[team_id] = Workspace(
                team_id, name, set(channels), bot_user=f"U0BOT{team_id[-3:]}"
            )
        return self.workspaces[team_id]

    def register_app(self, *, redirect_urls: tuple[str, ...]) -> OAuthApp:
        """The app's OAuth credentials (Basic Information → App Credentials) and its redirect URLs."""
        with self._lock:
            return self.oauth.register(redirect_urls=redirect_urls)

    def authorize(self, authorize_url: str, *, team_id: str, user: str) -> str:
        """A user of `team_id` approves the install at `authorize_url`: where Slack sends their browser."""
        with self._lock:
            return self.oauth.authorize(authorize_url, workspace=self.workspaces[team_id], user=user)

    def team_of_channel(self, channel: str) -> str:
        return next((t for t, w in self.workspaces.items() if channel in w.channels), self.team_id)

    def fail_next(self, method: str, error: str, *, status: int = 200, retry_after: int = 1) -> None:
        body: dict[str, Any] = {"ok": False, "error": error}
        if status == 429:
            body["retry_after"] = retry_after
        with self._lock:
            self._faults.setdefault(method, []).append((status, body))

    def fail_call(
        self, n: int, error: str = "ratelimited", *, status: int = 429, retry_after: int = 1
    ) -> None:
        """The `n`-th request from now (1: the next one), whichever Web API method or response_url it is,
        gets this refusal: a fault at every step of a path without knowing which call each step makes."""
        body: dict[str, Any] = {"ok": False, "error": error}
        if status == 429:
            body["retry_after"] = retry_after
        with self._lock:
            self._nth_faults[self._served + n] = (status, body)

    def drop_call(self, n: int, *, times: int = 2) -> None:
        """The `n`-th request from now, and the `times - 1` after it, get no answer at all: the connection
        is closed, as a network failure between the app and Slack leaves it (the client sees a disconnect,
        not a Slack error). Two by default, because slack_sdk retries a disconnect once by itself."""
        with self._lock:
            for i in range(times):
                self._nth_faults[self._served + n + i] = (
                    DROPPED,
                    {"ok": False, "error": "connection dropped"},
                )

    def unused_call_faults(self) -> int:
        """Faults set by `fail_call`/`drop_call` whose request never came."""
        with self._lock:
            return len(self._nth_faults)

    def served(self) -> int:
        """How many requests (Web API calls and response_url POSTs) the stand-in has answered so far."""
        with self._lock:
            return self._served

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def refused(self, method: str | None = None) -> list[tuple[str, str, list[str]]]:
        with self._lock:
            return [r for r in self.refusals if method in (None, r[0])]

    def channel_messages(self, channel: str) -> list[Message]:
        with self._lock:
            return [m for (c, _), m in sorted(self.messages.items()) if c == channel]

    def message(self, channel: str, ts: str) -> Message:
        with self._lock:
            return self.messages[(channel, ts)]

    async def wait_for(self, predicate: Callable[[], Any], *, what: str, timeout: float = 15.0) -> Any:
        """Polls without blocking the event loop (the app under test may share it)."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Slack stand-in: timed out waiting for {what}; calls: {[c.method for c in self.calls]}"
                )
            await asyncio.sleep(0.02)

    async def wait_for_text(self, channel: str, ts: str, needle: str, *, timeout: float = 15.0) -> str:
        def current() -> str:
            text = self.message(channel, ts).all_text()
            return text if needle in text else ""

        return await self.wait_for(current, what=f"message {ts} to show {needle!r}", timeout=timeout)

    # --- deliveries to the app, as Slack makes them ---

    async def click(
        self,
        events_url: str,
        message: Message,
        action_id: str,
        *,
        user: str,
        block_id: str | None = None,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        team_id: str | None = None,
        secret: str | None = None,
    ) -> httpx.Response:
        payload = self.block_actions_payload(
            message, action_id, user=user, block_id=block_id, team_id=team_id
        )
        return await self.deliver(events_url, payload, headers=headers, timestamp=timestamp, secret=secret)

    async def submit_view(
        self,
        events_url: str,
        view: dict[str, Any],
        *,
        user: str,
        values: dict[str, dict[str, str]],
        team_id: str | None = None,
    ) -> httpx.Response:
        payload = self.view_submission_payload(view, user=user, values=values, team_id=team_id)
        return await self.deliver(events_url, payload)

    async def deliver(
        self,
        events_url: str,
        payload: dict[str, Any],
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> httpx.Response:
        body, signed = self.signed_request(payload, timestamp=timestamp, secret=secret)
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.post(events_url, content=body, headers={**signed, **(headers or {})})

    def signed_request(
        self, payload: dict[str, Any], *, timestamp: int | None = None, secret: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret or self.signing_secret).generate_signature(
            timestamp=ts, body=body
        )
        return body.encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }

    def block_actions_payload(
        self,
        message: Message,
        action_id: str,
        *,
        user: str,
        block_id: str | None = None,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """The payload of a click on the message's one button with `action_id` (in `block_id`, if given)."""
        button = message.buttons().one(action_id, block_id=block_id)
        team = team_id or self.team_of_channel(message.channel)
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": button["block_id"],
            "text": button["text"],
            "action_ts": f"{time.time():.6f}",
        }
        for key in ("value", "style", "url"):
            if key in button:
                action[key] = button[key]
        return {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "api_app_id": "A0TICKETGEN",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": False,
            },
            "trigger_id": self._new_trigger(),
            "team": {"id": team, "domain": "example"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": message.channel, "name": "approvals"},
            "message": {
                "type": "message",
                "user": BOT_USER,
                "ts": message.ts,
                "bot_id": "B0BOT",
                "text": message.text,
                "blocks": message.blocks,
            },
            "state": {"values": {}},
            "response_url": self._new_response_url(message),
            "actions": [action],
        }

    def view_submission_payload(
        self,
        view: dict[str, Any],
        *,
        user: str,
        values: dict[str, dict[str, str]],
        team_id: str | None = None,
    ) -> dict[str, Any]:
        team = team_id or self.team_id
        state = {
            block: {action: {"type": "plain_text_input", "value": value} for action, value in inputs.items()}
            for block, inputs in values.items()
        }
        return {
            "type": "view_submission",
            "team": {"id": team, "domain": "example"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "api_app_id": "A0TICKETGEN",
            "token": "legacy-verification-token",
            "trigger_id": self._new_trigger(),
            "view": {
                **view,
                "id": view.get("id", "V0MODAL"),
                "team_id": team,
                "state": {"values": state},
                "hash": secrets.token_hex(8),
                "app_id": "A0TICKETGEN",
                "bot_id": "B0BOT",
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }

    # --- the Web API ---

    def handle(
        self, method: str, args: dict[str, Any], token: str, basic: tuple[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(Call(method, args, token))
            self._served += 1
            fault = self._nth_faults.pop(self._served, None)
            if fault:
                status, body = fault
            elif method == "oauth.v2.access":  # authenticated by the app's client id and secret, not a token
                status, body = 200, self.oauth.access(args, basic, self.workspaces)
            else:
                status, body = self._answer(method, args, token)
            if not body.get("ok"):
                self.refusals.append((method, str(body.get("error")), list(body.get("errors", []))))
            return status, body

    def _answer(self, method: str, args: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        if not token:
            return 200, {"ok": False, "error": "not_authed"}
        caller = next((w for w in self.workspaces.values() if token in w.tokens), None)
        if caller is None:
            return 200, {"ok": False, "error": "invalid_auth"}
        needed = METHOD_SCOPES.get(method)
        if method == "conversations.info" and str(args.get("channel", "")).startswith("G"):
            needed = "groups:read"
        if needed and needed not in caller.tokens[token]:
            return 200, {"ok": False, "error": "missing_scope", "needed": needed}
        self._caller = caller
        faults = self._faults.get(method)
        if faults:
            return faults.pop(0)
        api = getattr(self, "_api_" + method.replace(".", "_"), None)
        if api is None:
            return 200, {"ok": False, "error": "unknown_method"}
        return 200, api(args)

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://example.slack.com/",
            "team": self._caller.name,
            "user": "ticketgen",
            "team_id": self._caller.team_id,
            "user_id": self._caller.bot_user,
            "bot_id": self._caller.bot_id,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self._caller.channels:
            return {"ok": False, "error": "channel_not_found"}
        refusal = _refusal(args)
        if refusal:
            return refusal
        ts = f"{1_700_000_000 + next(self._ts)}.{secrets.randbelow(10**6):06d}"
        text, warnings = _truncated(args)
        message = Message(
            channel, ts, text, _blocks(args), str(args.get("thread_ts", "")), posted_at=self.now()
        )
        message.history.append({"text": message.text, "blocks": message.blocks})
        self.messages[(channel, ts)] = message
        return {
            **warnings,
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {
                "type": "message",
                "user": BOT_USER,
                "ts": ts,
                "text": message.text,
                "blocks": message.blocks,
            },
        }

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel", "")), str(args.get("ts", "")))
        if key[0] not in self._caller.channels:
            return {"ok": False, "error": "channel_not_found"}
        message = self.messages.get(key)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if self.edit_window is not None and self.now() - message.posted_at > self.edit_window:
            return {"ok": False, "error": "edit_window_closed"}
        refusal = _refusal(args)
        if refusal:
            return refusal
        text, warnings = _truncated(args)
        message.text = text
        if "blocks" in args:  # chat.update keeps the previous blocks when none are given
            message.blocks = _blocks(args)
        message.history.append({"text": message.text, "blocks": message.blocks})
        return {**warnings, "ok": True, "channel": key[0], "ts": key[1], "text": message.text}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if str(args.get("channel", "")) not in self._caller.channels:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        self.ephemerals.append(
            {"channel": args["channel"], "user": args["user"], "text": args.get("text", "")}
        )
        return {"ok": True, "message_ts": f"{time.time():.6f}"}

    def _api_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self._caller.channels:
            return {"ok": False, "error": "channel_not_found"}
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "name": channel.lower(),
                "is_channel": channel.startswith("C"),
                "is_group": channel.startswith("G"),
                "is_private": channel.startswith("G"),
                "is_archived": False,
                "context_team_id": self._caller.team_id,
            },
        }

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id", ""))
        issued = self._triggers.pop(trigger, None)
        if issued is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if self.now() - issued > 3:
            return {"ok": False, "error": "expired_trigger_id"}
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        problems = view_errors(view)
        if problems:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "errors": problems,
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
            }
        view["id"] = f"V{len(self.views) + 1:08d}"
        self.views.append(view)
        return {"ok": True, "view": view}

    def _respond(self, path: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self._served += 1
            status, body = self._nth_faults.pop(self._served, None) or self._response(path, args)
            if status != 200:
                self.refusals.append(("response_url", str(body.get("error")), list(body.get("errors", []))))
            return status, body

    def _response(self, path: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Slack's "Handling user interaction" guide: a response_url can be used up to five times within 30
        minutes of the interaction. Like incoming webhooks, it answers refusals with a 4xx status."""
        target = self._response_urls.get(path)
        if target is None:
            return 404, {"ok": False, "error": "no_such_url"}
        if self.now() - target.issued > RESPONSE_URL_TTL or target.uses >= RESPONSE_URL_USES:
            return 404, {"ok": False, "error": "expired_url"}
        target.uses += 1
        refusal = _refusal(args)
        if refusal:
            return 400, refusal
        text, warnings = _truncated(args)
        self.responses.append({"url": path, **args, "text": text})
        message = self.messages.get((target.channel, target.ts))
        if args.get("replace_original") and message is not None:
            message.text, message.blocks = text, _blocks(args)
            message.history.append({"text": message.text, "blocks": message.blocks})
        return 200, {**warnings, "ok": True}

    def _new_trigger(self) -> str:
        trigger = f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self._lock:
            self._triggers[trigger] = self.now()
        return trigger

    def _new_response_url(self, message: Message) -> str:
        path = f"/actions/{self.team_of_channel(message.channel)}/{secrets.randbelow(10**12)}/{secrets.token_hex(12)}"
        with self._lock:
            self._response_urls[path] = ResponseUrl(message.channel, message.ts, issued=self.now())
        return self.url + path


RESPONSE_URL_TTL = 30 * 60
DROPPED = 0  # a "status" meaning: close the connection without answering
RESPONSE_URL_USES = 5
MAX_TEXT = 40_000  # "Truncating really long messages" (Slack changelog, 2018): `text` past it is cut
MAX_BLOCKS = {"message": 50, "modal": 100}


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _truncated(args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Slack posts a `text` longer than 40,000 characters cut to that length, with a warning."""
    text = str(args.get("text", ""))
    if len(text) <= MAX_TEXT:
        return text, {}
    warning = (
        "[WARN] Your message was truncated but still posted. "
        "The `text` field accepts up to 40,000 characters."
    )
    return text[:MAX_TEXT], {"response_metadata": {"messages": [warning], "warnings": ["message_truncated"]}}


def _refusal(args: dict[str, Any]) -> dict[str, Any]:
    """Slack's answer to a message it would not post ({} when it would), errors in its own format."""
    try:
        blocks = _blocks(args)
    except ValueError:
        return {"ok": False, "error": "invalid_blocks_format"}
    if not blocks and not args.get("text"):
        return {"ok": False, "error": "no_text"}
    errors = block_errors(blocks)
    if not errors:
        return {}
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": errors,
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }


def check_message(args: dict[str, Any]) -> str:
    """The first reason Slack would refuse this message (`text` and `blocks`), or "" when it would post it."""
    refusal = _refusal(args)
    return (refusal.get("errors") or [refusal.get("error", "")])[0] if refusal else ""


# Block Kit as Slack's reference (docs.slack.dev/reference/block-kit) states it, for the blocks and elements
# the bot can send. Each rule cites its page; messages follow Slack's `… [json-pointer:/blocks/0/…]` format.
# Elements and blocks not listed here are refused as not modelled rather than waved through.

_BLOCK_KEYS = {
    # block_id (every block): "Maximum length for this field is 255 characters. block_id should be unique for
    # each message" — a second block with the same id in one message is refused.
    "section": {"type", "block_id", "text", "fields", "accessory", "expand"},
    "header": {"type", "block_id", "text"},
    "actions": {"type", "block_id", "elements"},
    "context": {"type", "block_id", "elements"},
    "divider": {"type", "block_id"},
    "input": {"type", "block_id", "label", "element", "hint", "optional", "dispatch_action"},
}
# Button element: text plain_text only, at most 75 characters; action_id at most 255 and "unique among all
# other action_ids in the containing block"; url at most 3000; value at most 2000; style primary or danger.
_BUTTON_KEYS = {"type", "text", "action_id", "url", "value", "style", "confirm", "accessibility_label"}
# Confirmation dialog object: title, text, confirm and deny are all required `plain_text` objects, at most
# 100, 300, 30 and 30 characters.
_CONFIRM_LIMITS = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
_PLAIN_INPUT_KEYS = {
    "type", "action_id", "initial_value", "multiline", "min_length", "max_length", "placeholder",
    "dispatch_action_config", "focus_on_load",
}  # fmt: skip
_STYLES = {"primary", "danger"}


class _Check:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, what: str, pointer: str) -> None:
        self.errors.append(f"{what} [json-pointer:{pointer}]")

    def keys(self, node: dict[str, Any], allowed: set[str], pointer: str) -> None:
        for key in sorted(set(node) - allowed):
            self.fail(f"invalid additional property: {key}", pointer)

    def text(
        self, node: Any, pointer: str, *, limit: int = 3000, plain_only: bool = False, required: bool = True
    ) -> None:
        """Text object: type plain_text or mrkdwn; text from 1 to 3000 characters (less where the field
        says so); `emoji` only on plain_text, `verbatim` only on mrkdwn."""
        if node is None:
            if required:
                self.fail("missing required field: text", pointer)
            return
        if not isinstance(node, dict):
            self.fail("must be an object", pointer)
            return
        kind = node.get("type")
        allowed = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
        if kind not in allowed:
            self.fail(f"must be one of: {', '.join(sorted(allowed))}", pointer + "/type")
            return
        self.keys(node, {"type", "text", "emoji" if kind == "plain_text" else "verbatim"}, pointer)
        text = node.get("text")
        if not isinstance(text, str):
            self.fail("missing required field: text", pointer)
        elif not text:
            self.fail("must be more than 0 characters", pointer + "/text")
        elif len(text) > limit:
            self.fail(f"must be less than {limit + 1} characters", pointer + "/text")

    def length(self, node: dict[str, Any], key: str, limit: int, pointer: str) -> None:
        value = node.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            self.fail(f"must be a string of at most {limit} characters", f"{pointer}/{key}")

    def block(self, block: Any, pointer: str, block_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail("must be an object", pointer)
            return
        kind = block.get("type")
        if kind not in _BLOCK_KEYS:
            self.fail(f"unsupported type: {kind}", pointer + "/type")
            return
        self.keys(block, _BLOCK_KEYS[kind], pointer)
        if "block_id" in block:
            self.length(block, "block_id", 255, pointer)
            if block["block_id"] in block_ids:
                self.fail(f"`block_id` {json.dumps(block['block_id'])} already exists", pointer + "/block_id")
            block_ids.add(block["block_id"])
        getattr(self, "_" + kind)(block, pointer)

    def _header(self, block: dict[str, Any], pointer: str) -> None:
        """Header block: a plain_text text object of at most 150 characters."""
        self.text(block.get("text"), pointer + "/text", limit=150, plain_only=True)

    def _section(self, block: dict[str, Any], pointer: str) -> None:
        """Section block: text (at most 3000) or fields (at most 10 items, each at most 2000)."""
        if "text" not in block and "fields" not in block:
            self.fail("must provide either text or fields", pointer)
        if "text" in block:
            self.text(block["text"], pointer + "/text")
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
                self.fail("must provide 1 to 10 items", pointer + "/fields")
            else:
                for i, item in enumerate(fields):
                    self.text(item, f"{pointer}/fields/{i}", limit=2000)
        if "accessory" in block:
            self.element(block["accessory"], pointer + "/accessory", set())

    def _actions(self, block: dict[str, Any], pointer: str) -> None:
        """Actions block: 1 to 25 interactive elements."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
            self.fail("must provide 1 to 25 items", pointer + "/elements")
            return
        action_ids: set[str] = set()
        for j, element in enumerate(elements):
            self.element(element, f"{pointer}/elements/{j}", action_ids)

    def _context(self, block: dict[str, Any], pointer: str) -> None:
        """Context block: 1 to 10 image elements and text objects."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            self.fail("must provide 1 to 10 items", pointer + "/elements")
            return
        for j, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self.keys(element, {"type", "image_url", "alt_text", "slack_file"}, f"{pointer}/elements/{j}")
                if not element.get("alt_text"):
                    self.fail("missing required field: alt_text", f"{pointer}/elements/{j}")
            else:
                self.text(element, f"{pointer}/elements/{j}")

    def _divider(self, block: dict[str, Any], pointer: str) -> None:
        pass

    def _input(self, block: dict[str, Any], pointer: str) -> None:
        """Input block: label (plain_text, at most 2000), one element, optional hint (plain_text, 2000)."""
        self.text(block.get("label"), pointer + "/label", limit=2000, plain_only=True)
        if "hint" in block:
            self.text(block["hint"], pointer + "/hint", limit=2000, plain_only=True)
        element = block.get("element")
        if not isinstance(element, dict) or element.get("type") != "plain_text_input":
            self.fail("stand-in: only plain_text_input elements are modelled", pointer + "/element")
            return
        self.keys(element, _PLAIN_INPUT_KEYS, pointer + "/element")
        self.length(element, "action_id", 255, pointer + "/element")
        if "placeholder" in element:
            self.text(element["placeholder"], pointer + "/element/placeholder", limit=150, plain_only=True)
        for key, low in (("min_length", 0), ("max_length", 1)):
            value = element.get(key)
            if value is not None and (not isinstance(value, int) or not low <= value <= 3000):
                self.fail(f"must be between {low} and 3000", f"{pointer}/element/{key}")

    def element(self, element: Any, pointer: str, action_ids: set[str]) -> None:
        if not isinstance(element, dict) or element.get("type") != "button":
            kind = element.get("type") if isinstance(element, dict) else element
            self.fail(f"stand-in: element type {kind!r} is not modelled", pointer)
            return
        self.keys(element, _BUTTON_KEYS, pointer)
        self.text(element.get("text"), pointer + "/text", limit=75, plain_only=True)
        for key, limit in (("action_id", 255), ("url", 3000), ("value", 2000), ("accessibility_label", 75)):
            self.length(element, key, limit, pointer)
        action_id = element.get("action_id")
        if action_id is not None:
            if action_id in action_ids:
                self.fail(f"`action_id` {json.dumps(action_id)} already exists", pointer + "/action_id")
            action_ids.add(action_id)
        if "style" in element and element["style"] not in _STYLES:
            self.fail("must be one of: danger, primary", pointer + "/style")
        if "confirm" in element:
            self.confirm(element["confirm"], pointer + "/confirm")

    def confirm(self, confirm: Any, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.fail("must be an object", pointer)
            return
        self.keys(confirm, {*_CONFIRM_LIMITS, "style"}, pointer)
        for key, limit in _CONFIRM_LIMITS.items():
            self.text(confirm.get(key), f"{pointer}/{key}", limit=limit, plain_only=True)
        if "style" in confirm and confirm["style"] not in _STYLES:
            self.fail("must be one of: danger, primary", pointer + "/style")


def block_errors(blocks: Any, *, surface: str = "message") -> list[str]:
    """Every reason Slack would refuse these blocks (a message holds at most 50, a modal at most 100)."""
    check = _Check()
    if not isinstance(blocks, list):
        check.fail("must be an array", "/blocks")
        return check.errors
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        check.fail(f"must provide at most {limit} items", "/blocks")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        check.block(block, f"/blocks/{i}", block_ids)
    return check.errors


def view_errors(view: dict[str, Any]) -> list[str]:
    """A modal as views.open checks it: title, submit and close plain_text of at most 24 characters,
    callback_id at most 255, private_metadata at most 3000, and its blocks (at most 100)."""
    check = _Check()
    if view.get("type") != "modal":
        check.fail("must be modal", "/view/type")
    check.text(view.get("title"), "/view/title", limit=24, plain_only=True)
    for key in ("submit", "close"):
        if key in view:
            check.text(view[key], f"/view/{key}", limit=24, plain_only=True)
    check.length(view, "callback_id", 255, "/view")
    check.length(view, "private_metadata", 3000, "/view")
    blocks = view.get("blocks", [])
    if any(isinstance(b, dict) and b.get("type") == "input" for b in blocks) and "submit" not in view:
        check.fail("missing required field: submit (a modal with input blocks needs one)", "/view")
    return check.errors + block_errors(blocks, surface="modal")


def _handler_for(server: SlackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            args = dict(parse_qsl(url.query))
            if raw:
                if "json" in (self.headers.get("Content-Type") or ""):
                    args.update(json.loads(raw))
                else:
                    args.update(parse_qsl(raw.decode()))
            if url.path.startswith("/actions/"):
                status, body = server._respond(url.path, args)
            elif url.path.startswith("/api/"):
                auth = self.headers.get("Authorization") or ""
                basic = _basic(auth)
                token = "" if basic else auth.removeprefix("Bearer ").strip() or str(args.pop("token", ""))
                status, body = server.handle(url.path.removeprefix("/api/"), args, token, basic)
            else:
                status, body = 404, {"ok": False, "error": "unknown_method"}
            self._send(status, body)

        def do_GET(self) -> None:
            """Slack's Web API also takes GET with the arguments in the query (slack_sdk uses it for
            read methods such as conversations.info)."""
            self.do_POST()

        def _send(self, status: int, body: dict[str, Any]) -> None:
            if status == DROPPED:
                self.close_connection = True
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", str(body.get("retry_after", 1)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _basic(auth: str) -> tuple[str, str] | None:
    if not auth.startswith("Basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(auth.removeprefix("Basic ").strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return client_id, secret


def iter_texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    """Every human-visible text in a message, for assertions on content."""
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                yield block[key]["text"]
        for item in block.get("fields", []) + block.get("elements", []):
            if "text" in item:
                yield item["text"]["text"] if isinstance(item["text"], dict) else item["text"]
