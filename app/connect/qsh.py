"""Query string hash (QSH): the claim that binds a Connect JWT to one method, path and query.

Canonicalisation runs on the path and query exactly as the client sent them (a proxy that re-encodes
the URL would otherwise break the hash). Details that follow Atlassian's reference implementations:
`+` in a query means a space; names and values are percent-encoded RFC 3986 style (`~` kept, space as
`%20`); pairs sorted by encoded name; a repeated name's values are sorted (by their decoded text, as
Atlassian Connect does — bug JWT-20) and joined with commas.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, urlsplit

CONTEXT_QSH = "context-qsh"


def percent_encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_path(raw_path: str, *, base_path: str = "") -> str:
    path = raw_path
    prefix = base_path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    return "/" + path.strip("/").replace("&", "%26")


def canonical_query(query: str) -> str:
    grouped: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name != "jwt":
            grouped.setdefault(name, []).append(value)
    pairs = sorted(
        (percent_encode(name), ",".join(percent_encode(v) for v in sorted(values)))
        for name, values in grouped.items()
    )
    return "&".join(f"{name}={values}" for name, values in pairs)


def canonical_request(method: str, raw_path: str, query: str = "", *, base_path: str = "") -> str:
    return f"{method.upper()}&{canonical_path(raw_path, base_path=base_path)}&{canonical_query(query)}"


def query_string_hash(method: str, raw_path: str, query: str = "", *, base_path: str = "") -> str:
    canonical = canonical_request(method, raw_path, query, base_path=base_path)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def url_hash(method: str, url: str, *, base_path: str = "") -> str:
    """QSH of an absolute or relative URL, e.g. for an outbound call to Jira (base_path = its context path)."""
    parts = urlsplit(url)
    return query_string_hash(method, parts.path, parts.query, base_path=base_path)
