"""`?offset=&limit=` on the lists that grow with an upload (findings, drafts): one request never answers
more than MAX_PAGE items, and the answer says where the next page starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from app.connect.errors import ApiError

DEFAULT_PAGE = 500
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    limit: int

    def envelope(self, total: int) -> dict[str, Any]:
        following = self.offset + self.limit
        return {
            "total": total,
            "offset": self.offset,
            "limit": self.limit,
            "next_offset": following if following < total else None,
        }


def page_of(request: Request) -> Page:
    return Page(_number(request, "offset", 0, None), _number(request, "limit", DEFAULT_PAGE, MAX_PAGE))


def _number(request: Request, name: str, default: int, most: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    least = 1 if name == "limit" else 0
    if not raw.isascii() or not raw.isdigit() or int(raw) < least or (most is not None and int(raw) > most):
        bound = f"from {least} to {most}" if most is not None else f"{least} or more"
        raise ApiError(422, "invalid_page", f"'{name}' must be a whole number {bound}.")
    return int(raw)
