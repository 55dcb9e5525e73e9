"""A draft as Jira will show it: the exact ADF description the export sends (and its attachment, if any).

The panel renders this ADF itself, so what a reviewer reads is what the developer will read in Jira.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import ok, project_draft
from app.connect.auth import Auth, api_endpoint
from ticketgen.adf import description_for


@api_endpoint
async def draft_preview(request: Request, auth: Auth) -> JSONResponse:
    _, draft = await project_draft(request, auth)
    description = description_for(draft.to_draft())
    attachment = description.attachment
    return ok(
        {
            "adf": description.adf,
            "attachment": {"name": attachment.name, "size": attachment.size} if attachment else None,
        }
    )
