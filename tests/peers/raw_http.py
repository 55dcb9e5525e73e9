"""A bare HTTP/1.1 client for requests httpx will not send: a Content-Length with no body behind it, a
chunked body that goes on past any limit, bytes that are not UTF-8. Only the status and body come back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DEADLINE_S = 20.0  # a hang is a failure, not a wait


@dataclass(frozen=True)
class RawResponse:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


async def raw_request(
    url: str,
    *,
    method: str = "POST",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    declared_length: int | None = None,
    chunks: Iterable[bytes] | None = None,
) -> RawResponse:
    """`method` `body` (with `declared_length` as its Content-Length when given), or `chunks` chunked."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    lines = [f"{method} {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if chunks is None:
        lines.append(f"Content-Length: {len(body) if declared_length is None else declared_length}")
    else:
        lines.append("Transfer-Encoding: chunked")
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        for chunk in chunks or ():
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
        if chunks is not None:
            writer.write(b"0\r\n\r\n")
        await writer.drain()
    except ConnectionError:
        pass  # the server answered and hung up before taking everything: its answer is still readable
    try:
        return await asyncio.wait_for(_read_response(reader), DEADLINE_S)
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> RawResponse:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection without an answer")
    status = int(status_line.split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return RawResponse(status, await reader.readexactly(length) if length else b"")
