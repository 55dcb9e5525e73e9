"""What a panel page needs to know before it asks for anything else.

A Connect page gets it rendered into the page (`app.connect.pages`); a Forge Custom UI page is a static
bundle, so its transport asks for it here (`app.forge.manifest.PAGE_CONTEXT_PATH`). Only what the panel's
wording depends on, from the tenant's own settings: any user of the project may read it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import ok
from app.connect.auth import Auth, api_endpoint


@api_endpoint
async def page_context(request: Request, auth: Auth) -> JSONResponse:
    settings = auth.tenant.settings
    return ok({"approvalRequired": settings.approval_required, "slackChannel": settings.slack_channel})
