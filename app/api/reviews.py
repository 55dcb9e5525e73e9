"""The spec review of a batch: the questions for the spec owner, as JSON for the panel's tab and as the
Markdown file the panel offers for download (the same report as `ticketgen review DIR --format md`).

Nothing is stored: the review is recomputed from the batch's files, so it always matches the spec the
drafts were (or will be) made from, with the tenant's status codes.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app import pipeline
from app.api._utils import ok, project_batch, store_of
from app.connect.auth import Auth, api_endpoint
from app.store import Batch
from ticketgen.review import Review, review
from ticketgen.review.report import as_json, markdown


async def _review(request: Request, auth: Auth) -> tuple[Batch, Review]:
    batch = await project_batch(request, auth)
    spec = await pipeline.load_batch_spec(store_of(request), auth.tenant, batch.id)
    return batch, await asyncio.to_thread(review, spec, codes=auth.tenant.status_codes)


@api_endpoint
async def spec_review(request: Request, auth: Auth) -> JSONResponse:
    _, found = await _review(request, auth)
    return ok(as_json(found))


@api_endpoint
async def spec_review_md(request: Request, auth: Auth) -> Response:
    batch, found = await _review(request, auth)
    ascii_name = re.sub(r"[^\w.-]+", "-", batch.name, flags=re.ASCII).strip("-.") or batch.id
    name = re.sub(r"[^\w.-]+", "-", batch.name).strip("-.") or batch.id
    return Response(
        markdown(found, title=f"Spec review: {batch.name}"),
        media_type="text/markdown; charset=utf-8",
        headers={
            # the plain name for old clients, the batch's own letters (any script) in RFC 6266's form
            "Content-Disposition": f'attachment; filename="spec-review-{ascii_name}.md"; '
            f"filename*=UTF-8''{quote(f'spec-review-{name}.md')}",
            "X-Content-Type-Options": "nosniff",
        },
    )
