"""The spec review of a batch: the questions for the spec owner, as JSON for the panel's tab and as the
Markdown file the panel offers for download (the same report as `ticketgen review DIR --format md`).

Nothing is stored: the review is recomputed from the batch's files, so it always matches the spec the
drafts were (or will be) made from, with the tenant's status codes.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app import pipeline
from app.api._utils import ok, project_batch, store_of
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError
from app.store import Batch
from jobs.isolated import TooCostly, run_isolated
from ticketgen.review.report import report_of


async def _review(request: Request, auth: Auth) -> tuple[Batch, dict[str, Any], str]:
    """The review runs where the check does, in a child process with memory and time limits."""
    batch = await project_batch(request, auth)
    files = await pipeline.batch_files(store_of(request), auth.tenant, batch.id)
    try:
        found, text = await run_isolated(report_of, **files, title=f"Spec review: {batch.name}")
    except TooCostly as exc:
        raise ApiError(409, "too_costly", str(exc)) from exc
    return batch, found, text


@api_endpoint
async def spec_review(request: Request, auth: Auth) -> JSONResponse:
    _, found, _ = await _review(request, auth)
    return ok(found)


@api_endpoint
async def spec_review_md(request: Request, auth: Auth) -> Response:
    batch, _, text = await _review(request, auth)
    ascii_name = re.sub(r"[^\w.-]+", "-", batch.name, flags=re.ASCII).strip("-.") or batch.id
    name = re.sub(r"[^\w.-]+", "-", batch.name).strip("-.") or batch.id
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={
            # the plain name for old clients, the batch's own letters (any script) in RFC 6266's form
            "Content-Disposition": f'attachment; filename="spec-review-{ascii_name}.md"; '
            f"filename*=UTF-8''{quote(f'spec-review-{name}.md')}",
            "X-Content-Type-Options": "nosniff",
        },
    )
