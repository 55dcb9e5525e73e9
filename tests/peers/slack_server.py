"""A local Slack: the Web API subset the bot uses, and the interaction deliveries Slack makes to the app.

`SlackServer` is a real HTTP server (127.0.0.1, ephemeral port, background thread) that answers
`auth.test`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `views.open` and `response_url` POSTs
in Slack's wire format (HTTP 200 with `{"ok": false, "error": …}` for refusals, 429 + Retry-After when rate
limited), checks the bot token, keeps the channel's messages, and records every call.

`click` / `submit_view` deliver interactions to the app's `/slack/events` exactly as Slack does: a
form-encoded `payload` field, signed with `X-Slack-Signature` over `v0:{timestamp}:{body}`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from slack_sdk.signature import SignatureVerifier

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
    history: list[dict[str, Any]] = field(default_factory=list)  # every version, oldest first

    def buttons(self) -> dict[str, dict[str, Any]]:
        found = {}
        for block in self.blocks:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                found[element["action_id"]] = {**element, "block_id": block.get("block_id", "")}
        return found

    def all_text(self) -> str:
        return json.dumps(self.blocks, ensure_ascii=False) + self.text


class SlackServer:
    def __init__(
        self,
        *,
        token: str | None = None,
        signing_secret: str | None = None,
        team_id: str = TEAM_ID,
        channels: tuple[str, ...] = ("C0APPROVALS",),
    ) -> None:
        self.token = token or "xoxb-test-" + secrets.token_hex(12)
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.team_id = team_id
        self.channels = set(channels)
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Message] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self._triggers: dict[str, float] = {}
        self._response_urls: dict[str, tuple[str, str]] = {}
        self._faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
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

    def fail_next(self, method: str, error: str, *, status: int = 200, retry_after: int = 1) -> None:
        body: dict[str, Any] = {"ok": False, "error": error}
        if status == 429:
            body["retry_after"] = retry_after
        with self._lock:
            self._faults.setdefault(method, []).append((status, body))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

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

    async def wait_for_text(self, channel: str, ts: str, needle: str) -> str:
        def current() -> str:
            text = self.message(channel, ts).all_text()
            return text if needle in text else ""

        return await self.wait_for(current, what=f"message {ts} to show {needle!r}")

    # --- deliveries to the app, as Slack makes them ---

    async def click(
        self,
        events_url: str,
        message: Message,
        action_id: str,
        *,
        user: str,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        team_id: str | None = None,
        secret: str | None = None,
    ) -> httpx.Response:
        payload = self.block_actions_payload(message, action_id, user=user, team_id=team_id)
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
        self, message: Message, action_id: str, *, user: str, team_id: str | None = None
    ) -> dict[str, Any]:
        button = message.buttons()[action_id]
        team = team_id or self.team_id
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

    def handle(self, method: str, args: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(Call(method, args, token))
            if not token:
                return 200, {"ok": False, "error": "not_authed"}
            if token != self.token:
                return 200, {"ok": False, "error": "invalid_auth"}
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
            "team": "Example",
            "user": "ticketgen",
            "team_id": self.team_id,
            "user_id": BOT_USER,
            "bot_id": "B0BOT",
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        problem = check_message(args)
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        ts = f"{1_700_000_000 + next(self._ts)}.{secrets.randbelow(10**6):06d}"
        message = Message(
            channel, ts, str(args.get("text", "")), _blocks(args), str(args.get("thread_ts", ""))
        )
        message.history.append({"text": message.text, "blocks": message.blocks})
        self.messages[(channel, ts)] = message
        return {
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
        message = self.messages.get(key)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        problem = check_message(args)
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        message.text, message.blocks = str(args.get("text", "")), _blocks(args)
        message.history.append({"text": message.text, "blocks": message.blocks})
        return {"ok": True, "channel": key[0], "ts": key[1], "text": message.text}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if str(args.get("channel", "")) not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        self.ephemerals.append(
            {"channel": args["channel"], "user": args["user"], "text": args.get("text", "")}
        )
        return {"ok": True, "message_ts": f"{time.time():.6f}"}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id", ""))
        issued = self._triggers.pop(trigger, None)
        if issued is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if time.time() - issued > 3:
            return {"ok": False, "error": "expired_trigger_id"}
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        if view.get("type") != "modal" or not view.get("title") or len(view.get("blocks", [])) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        view["id"] = f"V{len(self.views) + 1:08d}"
        self.views.append(view)
        return {"ok": True, "view": view}

    def _respond(self, path: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            target = self._response_urls.get(path)
            if target is None:
                return 404, {"ok": False, "error": "expired_url"}
            self.responses.append({"url": path, **args})
            if args.get("replace_original") and target in self.messages:
                message = self.messages[target]
                message.text, message.blocks = str(args.get("text", "")), _blocks(args)
                message.history.append({"text": message.text, "blocks": message.blocks})
            return 200, {"ok": True}

    def _new_trigger(self) -> str:
        trigger = f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self._lock:
            self._triggers[trigger] = time.time()
        return trigger

    def _new_response_url(self, message: Message) -> str:
        path = f"/actions/{self.team_id}/{secrets.randbelow(10**12)}/{secrets.token_hex(12)}"
        with self._lock:
            self._response_urls[path] = (message.channel, message.ts)
        return self.url + path


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def check_message(args: dict[str, Any]) -> str:
    """The Block Kit limits Slack enforces on messages (too many blocks, long texts, button values)."""
    blocks = _blocks(args)
    if not blocks and not args.get("text"):
        return "no_text"
    if len(blocks) > 50:
        return "must provide at most 50 blocks"
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind not in {"section", "header", "actions", "context", "divider", "input", "image", "rich_text"}:
            return f"unsupported type [json-pointer:/blocks/{i}/type]"
        if kind == "header" and len(block["text"]["text"]) > 150:
            return f"must be less than 151 characters [json-pointer:/blocks/{i}/text/text]"
        if kind == "section":
            if "text" in block and len(block["text"]["text"]) > 3000:
                return f"must be less than 3001 characters [json-pointer:/blocks/{i}/text/text]"
            if len(block.get("fields", [])) > 10:
                return f"must provide at most 10 items [json-pointer:/blocks/{i}/fields]"
        if kind == "actions":
            elements = block.get("elements", [])
            if not elements or len(elements) > 25:
                return f"must provide 1 to 25 items [json-pointer:/blocks/{i}/elements]"
            for j, element in enumerate(elements):
                if len(element.get("value", "")) > 2000 or len(element.get("action_id", "")) > 255:
                    return f"must be less than 2001 characters [json-pointer:/blocks/{i}/elements/{j}/value]"
                if not element.get("text", {}).get("text"):
                    return f"missing required field: text [json-pointer:/blocks/{i}/elements/{j}]"
    return ""


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
                token = auth.removeprefix("Bearer ").strip() or str(args.pop("token", ""))
                status, body = server.handle(url.path.removeprefix("/api/"), args, token)
            else:
                status, body = 404, {"ok": False, "error": "unknown_method"}
            self._send(status, body)

        def _send(self, status: int, body: dict[str, Any]) -> None:
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


def iter_texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    """Every human-visible text in a message, for assertions on content."""
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                yield block[key]["text"]
        for item in block.get("fields", []) + block.get("elements", []):
            if "text" in item:
                yield item["text"]["text"] if isinstance(item["text"], dict) else item["text"]
