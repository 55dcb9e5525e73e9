"""The iframe pages Jira loads (project sidebar panel, configure page).

Each load is authenticated by Jira's URL-bound JWT and mints a session token for the page's AJAX. The
pages are Jinja2 templates (`templates/`) with plain JavaScript from `app/static/`; everything the page's
script needs from the server is in one JSON script tag (`ticketgen-context`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from app.connect.auth import PageAuth, page_endpoint

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the iframe URL carries a JWT
}


TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)


def render_page(
    title: str, page: PageAuth, *, api_base: str, base_path: str = "", sandbox: bool = False
) -> HTMLResponse:
    tenant = page.auth.tenant
    settings = tenant.settings
    context = {
        "sessionToken": page.session_token,
        "projectKey": page.auth.project_key,
        "accountId": page.auth.account_id,
        "apiBase": api_base,
        "jiraBaseUrl": tenant.site_url,
        "approvalRequired": settings.approval_required,
        "slackChannel": settings.slack_channel,
    }
    template = "configure.html" if page.auth.scope == "admin" else "panel.html"
    body = (
        _templates()
        .get_template(template)
        .render(
            title=title,
            static=f"{base_path}/static",
            project_key=page.auth.project_key,
            context_json=Markup(_script_json(context)),
            connect_js=f"{base_path}{SANDBOX_MOUNT}/all.js" if sandbox else CONNECT_JS,
            connect_js_options="" if sandbox else "sizeToParent:true",
        )
    )
    site = urlsplit(tenant.site_url)
    policy = content_security_policy(f"{site.scheme}://{site.netloc}")
    return HTMLResponse(body, headers={**_SECURITY_HEADERS, "Content-Security-Policy": policy})


# Jira frames the page from the tenant's site; all.js comes from Atlassian's CDN (or the sandbox, same origin).
_JIRA_ORIGINS = "https://*.atlassian.net https://*.jira.com https://*.jira-dev.com"
_CONNECT_CDN = "https://connect-cdn.atl-paas.net"
CONNECT_JS = f"{_CONNECT_CDN}/all.js"
# where Jira's `avatarUrls` point: Atlassian's avatar service, and Gravatar for people who set one there
_AVATAR_HOSTS = "https://*.atl-paas.net https://secure.gravatar.com"
SANDBOX_MOUNT = "/sandbox"  # where `ticketgen sandbox` mounts its stand-in (sandbox.MOUNT)


def content_security_policy(site_origin: str) -> str:
    """Only this app's scripts and Atlassian's all.js run, nothing inline; only Jira may frame the page."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {_CONNECT_CDN}",
            "style-src 'self' 'unsafe-inline'",  # the dependency graph and flags set style attributes
            f"img-src 'self' data: {_AVATAR_HOSTS} {site_origin}",  # people's avatars in the Plan step
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors 'self' {_JIRA_ORIGINS} {site_origin}",
        ]
    )


def _script_json(data: object) -> str:
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@page_endpoint(scope="project")
async def panel_page(request: Request, page: PageAuth) -> Response:
    key = page.auth.project_key
    base = request.app.state.authenticator.base_path
    return render_page(
        f"Ticket Generator — {key}",
        page,
        api_base=f"{base}/api/projects/{key}",
        base_path=base,
        sandbox=request.app.state.config.sandbox,
    )


@page_endpoint(scope="admin")
async def configure_page(request: Request, page: PageAuth) -> Response:
    base = request.app.state.authenticator.base_path
    return render_page(
        "Ticket Generator settings",
        page,
        api_base=f"{base}/api/settings",
        base_path=base,
        sandbox=request.app.state.config.sandbox,
    )
