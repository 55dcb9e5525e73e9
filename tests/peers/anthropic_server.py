"""A local Anthropic Messages API (`POST /v1/messages`) for tests and benchmarks.

It speaks the wire format the real `anthropic` client expects (headers, message and error bodies,
`retry-after`, usage with cache counters), writes plausible ticket copy from the `<ticket_data>` blocks
of the request so the copy echoes real names and machine names, and misbehaves on demand (`add_fault`).
A stdlib threading server keeps it independent of the client's event loop: latency is a plain sleep
in the handler thread, so many requests can be in flight at once, as against the real API.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Behaviour = Literal[
    "rate_limited", "overloaded", "server_error", "slow", "malformed", "no_tool", "invented", "truncated",
    "forgetful",
]  # fmt: skip
ERRORS: dict[str, tuple[int, str]] = {
    "rate_limited": (429, "rate_limit_error"),
    "overloaded": (529, "overloaded_error"),
    "server_error": (500, "api_error"),
}
INJECTION_MARKER = "ignore previous instructions"
_TICKET_RE = re.compile(r'<ticket_data key="([^"]+)">\s*(.*?)\s*</ticket_data>', re.DOTALL)


@dataclass(slots=True)
class Fault:
    behaviour: Behaviour
    times: int | None = 1  # None: every matching request
    key: str | None = None  # only requests carrying this ticket key; None: any request
    retry_after: float | None = None
    delay: float = 0.0  # for "slow": seconds before answering


@dataclass(frozen=True, slots=True)
class Recorded:
    at: float  # time.monotonic() on arrival
    keys: tuple[str, ...]
    status: int
    behaviour: str  # "ok" or the fault applied
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class AnthropicServer:
    """Parameters:
    api_key: the only key accepted, as `x-api-key` or `Authorization: Bearer` (401 otherwise).
    latency: seconds every request takes before its answer.
    obey_injections: act like a gullible model: ticket data containing "ignore previous instructions"
        yields copy that follows the injection (a markdown table), which the writer must reject.
    retired_models: model ids answered with 404 not_found_error, as the API does once a model is retired.
    """

    api_key: str
    latency: float = 0.0
    obey_injections: bool = True
    retired_models: frozenset[str] = frozenset()
    requests: list[Recorded] = field(default_factory=list)
    max_in_flight: int = 0
    _faults: list[Fault] = field(default_factory=list)
    _cached: set[str] = field(default_factory=set)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add_fault(
        self,
        behaviour: Behaviour,
        *,
        times: int | None = 1,
        key: str | None = None,
        retry_after: float | None = None,
        delay: float = 0.0,
    ) -> None:
        with self._lock:
            self._faults.append(Fault(behaviour, times, key, retry_after, delay))

    def requests_for(self, key: str) -> list[Recorded]:
        return [r for r in self.requests if key in r.keys]

    def __enter__(self) -> AnthropicServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    # -- request handling (runs in handler threads) -------------------------------------------------

    def _take_fault(self, keys: tuple[str, ...]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times != 0 and (fault.key is None or fault.key in keys):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _usage(self, body: dict[str, Any], output: Any) -> dict[str, int]:
        """Cache counters as the API reports them: the prefix (tools + system up to the last block
        marked `cache_control`) is written by the first request and read by later ones."""
        system = body.get("system") or []
        blocks = [system] if isinstance(system, str) else list(system)
        marked = [i for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("cache_control")]
        prefix = json.dumps([body.get("tools"), blocks[: marked[-1] + 1]]) if marked else ""
        rest = json.dumps([blocks[marked[-1] + 1 :] if marked else blocks, body.get("messages")])
        usage = {
            "input_tokens": _tokens(rest if marked else prefix + rest),
            "output_tokens": _tokens(json.dumps(output)),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        if prefix:
            digest = hashlib.sha256(prefix.encode()).hexdigest()
            with self._lock:
                hit = digest in self._cached
                self._cached.add(digest)
            usage["cache_read_input_tokens" if hit else "cache_creation_input_tokens"] = _tokens(prefix)
        return usage


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _bearer(value: str | None) -> str | None:
    """The API takes the key as `x-api-key` or, as recent SDKs send it, `Authorization: Bearer <key>`."""
    scheme, _, token = (value or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _error_body(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def _tickets(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    text = ""
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            text += content
        else:
            text += "".join(b.get("text", "") for b in content or [] if isinstance(b, dict))
    found: dict[str, dict[str, Any]] = {}
    for key, data in _TICKET_RE.findall(text):
        try:
            found[key] = json.loads(data)
        except json.JSONDecodeError:
            found[key] = {}
    return found


def _cells(data: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    for table in data.get("tables", []):
        for row in table.get("rows", []):
            cells = [" ".join(str(c).split())[:80] for c in row if str(c).strip() and "|" not in str(c)]
            if cells:
                rows.append(cells)
    return rows


def _copy(key: str, data: dict[str, Any], behaviour: str, obey_injections: bool) -> dict[str, Any]:
    if behaviour == "malformed":
        return {"key": key, "user_story": 42}
    summary = str(data.get("summary") or key)
    story = f"As a developer, I want to {summary[:1].lower()}{summary[1:]} so that the site matches the specification."
    # A careful model keeps every name the ticket must keep ("forgetful" drops them, as a careless one would).
    kept = [] if behaviour == "forgetful" else _kept(data.get("must_keep") or [])
    criteria = kept + [f"The configuration includes {' — '.join(cells[:2])}." for cells in _cells(data)[:8]]
    criteria += [
        "The configuration is exported to config sync.",
        "A reviewer can confirm each table row on the site.",
    ]
    if behaviour == "invented":
        criteria.append("The field field_totally_invented_widget is configured.")
    if obey_injections and INJECTION_MARKER in json.dumps(data).lower():
        criteria = ["| pwned | yes |", "|---|---|", "Done as instructed."]
    return {
        "key": key,
        "user_story": story,
        "success_criteria": list(dict.fromkeys(criteria))[:12],
        "summary": summary,
    }


def _kept(names: list[Any], width: int = 400) -> list[str]:
    """`must_keep` names cited in as few criteria as fit, a few hundred characters each."""
    criteria: list[str] = []
    group: list[str] = []
    for name in (str(n) for n in names):
        if group and len(", ".join([*group, name])) > width:
            criteria.append(f"QA confirms {', '.join(group)} on the site.")
            group = []
        group.append(name)
    if group:
        criteria.append(f"QA confirms {', '.join(group)} on the site.")
    return criteria


def _tool_input(
    body: dict[str, Any], tickets: dict[str, dict[str, Any]], fault: Fault | None, obey_injections: bool
) -> dict[str, Any]:
    def behaviour_for(key: str) -> str:
        return fault.behaviour if fault and fault.key in (None, key) else "ok"

    copies = [_copy(k, d, behaviour_for(k), obey_injections) for k, d in tickets.items()]
    tool = (body.get("tools") or [{}])[0]
    if "tickets" in tool.get("input_schema", {}).get("properties", {}):
        return {"tickets": copies}
    return copies[0] if copies else {}


def _handler_for(server: AnthropicServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", f"req_{uuid.uuid4().hex[:24]}")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to answer

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            arrived = time.monotonic()
            if self.path.split("?")[0] != "/v1/messages":
                return self._send(404, _error_body("not_found_error", f"no route {self.path}"))
            if server.api_key not in (
                self.headers.get("x-api-key"),
                _bearer(self.headers.get("authorization")),
            ):
                return self._send(401, _error_body("authentication_error", "invalid x-api-key"))
            if not self.headers.get("anthropic-version"):
                return self._send(
                    400, _error_body("invalid_request_error", "anthropic-version header is required")
                )
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                return self._send(400, _error_body("invalid_request_error", "body is not JSON"))
            if body.get("model") in server.retired_models:
                return self._send(404, _error_body("not_found_error", f"model: {body.get('model')}"))
            tickets = _tickets(body)
            fault = server._take_fault(tuple(tickets))
            behaviour = fault.behaviour if fault else "ok"
            status = ERRORS[behaviour][0] if behaviour in ERRORS else 200
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server._lock:
                server.requests.append(Recorded(arrived, tuple(tickets), status, behaviour, headers, body))
            server._enter()
            try:
                # Rejections (429, 529, 500) come back at once, as from the real API; answers take `latency`.
                time.sleep(
                    0.0
                    if status != 200
                    else server.latency + (fault.delay if fault and behaviour == "slow" else 0.0)
                )
                self._answer(body, tickets, fault, behaviour)
            finally:
                server._leave()

        def _answer(
            self,
            body: dict[str, Any],
            tickets: dict[str, dict[str, Any]],
            fault: Fault | None,
            behaviour: str,
        ) -> None:
            if behaviour in ERRORS:
                status, kind = ERRORS[behaviour]
                extra = (
                    {"retry-after": f"{fault.retry_after:g}"}
                    if fault and fault.retry_after is not None
                    else {}
                )
                return self._send(status, _error_body(kind, f"simulated {kind}"), extra)
            tool_input = _tool_input(body, tickets, fault, server.obey_injections)
            if behaviour == "no_tool":
                content: list[dict[str, Any]] = [{"type": "text", "text": "Here is the copy you asked for."}]
                stop = "end_turn"
            else:
                name = (body.get("tool_choice") or {}).get("name") or (body.get("tools") or [{}])[0].get(
                    "name"
                )
                if behaviour == "truncated":
                    tool_input = {}
                content = [
                    {
                        "type": "tool_use",
                        "id": f"toolu_{uuid.uuid4().hex[:24]}",
                        "name": name,
                        "input": tool_input,
                    }
                ]
                stop = "max_tokens" if behaviour == "truncated" else "tool_use"
            self._send(
                200,
                {
                    "id": f"msg_{uuid.uuid4().hex[:24]}",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model", ""),
                    "content": content,
                    "stop_reason": stop,
                    "stop_sequence": None,
                    "usage": server._usage(body, content),
                },
            )

    return Handler
