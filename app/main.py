"""The ASGI app: every route the add-on serves is registered in `routes()` below, in one place."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from app import api
from app.api._utils import store_error_handler
from app.api.health import healthz
from app.api.uploads import MAX_UPLOAD_BYTES
from app.body_limit import BodyLimit
from app.config import Config
from app.connect import descriptor, lifecycle, pages
from app.connect.auth import Authenticator
from app.connect.errors import ApiError, api_error_handler, error_response
from app.connect.install_keys import InstallKeys
from app.connect.jira_permissions import JiraPermissions
from app.connect.jira_users import JiraUserNames, UserNames
from app.connect.middleware import StripBasePath
from app.connect.permissions import CachedPermissions, PermissionSource
from app.connect.session import SessionTokens
from app.connect.site_urls import SitePolicy
from app.forge import lifecycle as forge_lifecycle
from app.forge.fit import FitVerifier
from app.forge.host import ForgeHost
from app.forge.jwks import ForgeKeys
from app.hosts import Hosts
from app.jira.existing import ExistingLookup
from app.resync import ResyncPlanner
from app.store import Store, StoreError
from jobs import embedded as jobs_embedded
from ticketgen.planner import CycleError as PlanCycleError

log = logging.getLogger("ticketgen.app")
STATIC_DIR = Path(__file__).resolve().parent / "static"  # the pages' CSS and plain JavaScript (no build step)


def routes() -> list[BaseRoute]:
    return [
        Route("/atlassian-connect.json", descriptor.descriptor_endpoint, methods=["GET"]),
        Route(descriptor.icon_path(), descriptor.icon_endpoint, methods=["GET"]),
        Route("/favicon.ico", descriptor.icon_endpoint, methods=["GET"]),  # browsers ask for it on every page
        Route("/healthz", healthz, methods=["GET"]),
        # Connect lifecycle (paths as named in the descriptor)
        Route(descriptor.lifecycle_path("installed"), lifecycle.installed, methods=["POST"]),
        Route(descriptor.lifecycle_path("uninstalled"), lifecycle.uninstalled, methods=["POST"]),
        Route(descriptor.lifecycle_path("enabled"), lifecycle.enabled, methods=["POST"]),
        Route(descriptor.lifecycle_path("disabled"), lifecycle.disabled, methods=["POST"]),
        # Forge remote: lifecycle events and the scheduled trigger (404 unless FORGE_APP_ID is set)
        Route("/forge/lifecycle", forge_lifecycle.lifecycle_event, methods=["POST"]),
        Route("/forge/scheduled", forge_lifecycle.scheduled, methods=["POST"]),
        # iframe pages (Jira JWT with a real qsh; mint the session token)
        Route(descriptor.panel_path_template(), pages.panel_page, methods=["GET"]),
        Route(descriptor.configure_path(), pages.configure_page, methods=["GET"]),
        # JSON API for the panel (session token or context JWT; Forge: the FIT of `requestRemote`)
        *api.routes,
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def create_app(
    config: Config, *, extra_routes: Sequence[BaseRoute] = (), permissions: PermissionSource | None = None,
    user_names: UserNames | None = None,
) -> Starlette:  # fmt: skip
    """`permissions`: who may do what, and `user_names`: what people are called, by default asked of each
    tenant's Jira (tests name a peer instead)."""
    if not config.secret_key:
        raise ValueError("Config.secret_key is required (ticketgen serve creates one under the data dir)")
    store = Store.from_config(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.migrate()
        workers = await jobs_embedded.start(config)  # embedded default only (no REDIS_URL)
        try:
            yield
        finally:
            if workers:
                await jobs_embedded.stop()
            await store.close()

    app = Starlette(
        routes=[*routes(), *_slack_routes(config, extra_routes), *extra_routes],
        lifespan=lifespan,
        exception_handlers={
            ApiError: api_error_handler,
            StoreError: store_error_handler,
            PlanCycleError: store_error_handler,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _server_error,
        },
    )
    app.state.config = config
    app.state.store = store
    app.state.sessions = SessionTokens(secret_key=config.secret_key)
    app.state.existing = ExistingLookup(app_key=config.app_key)
    app.state.resync = ResyncPlanner(app_key=config.app_key)
    app.state.permissions = CachedPermissions(source=permissions or JiraPermissions(app_key=config.app_key))
    app.state.user_names = user_names or JiraUserNames(app_key=config.app_key)
    app.state.authenticator = Authenticator(
        store=store, sessions=app.state.sessions, base_url=config.base_url, projects=app.state.permissions
    )
    app.state.hosts = Hosts(
        connect=app.state.authenticator, forge=_forge_host(config, store, app.state.permissions)
    )
    app.state.install_keys = InstallKeys(url=config.install_keys_url)
    app.state.site_policy = SitePolicy.for_app(
        extra_domains=config.extra_site_domains, sandbox=config.sandbox, app_base_url=config.base_url
    )
    app.add_middleware(BodyLimit, larger=_larger_bodies(config, extra_routes))
    base_path = urlsplit(config.base_url).path
    if base_path.strip("/"):  # added last, so it runs first: BodyLimit matches routes on the stripped path
        app.add_middleware(StripBasePath, prefix=base_path)
    return app


def _forge_host(config: Config, store: Store, permissions: PermissionSource) -> ForgeHost | None:
    if not config.forge_enabled:
        return None
    verifier = FitVerifier(
        app_id=config.forge_app_id,
        keys=ForgeKeys(url=config.forge_jwks_url),
        allow_http_api=config.forge_keys_are_local,
        environments=config.forge_environment_ids,
    )
    return ForgeHost(verifier=verifier, store=store, projects=permissions)


def _larger_bodies(config: Config, extra_routes: Sequence[BaseRoute]) -> list[tuple[BaseRoute, int]]:
    """The routes exempt from the body cap, with their own: the upload (its reader streams the per-file and
    per-batch limits) and, in sandbox mode, the Jira stand-in mounted beside the add-on."""
    larger: list[tuple[BaseRoute, int]] = [(route, MAX_UPLOAD_BYTES) for route in api.upload_routes]
    if config.sandbox:
        from sandbox import MAX_REQUEST_BYTES, MOUNT

        larger += [(r, MAX_REQUEST_BYTES) for r in extra_routes if getattr(r, "path", None) == MOUNT]
    return larger


def _slack_routes(config: Config, extra_routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """`/slack/events` when Slack is configured (slack_bolt is not even imported otherwise); a caller's own
    Slack routes in `extra_routes` (tests inject a recording `queue_export`) take their place."""
    if not config.slack_enabled:
        return []
    if not config.slack_workspaces and not config.allowed_sites:
        log.warning(
            "Slack: SLACK_BOT_TOKEN is set but ALLOWED_SITES is empty, so the bot posts for no Jira site; "
            "name your site(s) in ALLOWED_SITES, or use SLACK_CLIENT_ID/SECRET for one workspace per site"
        )
    from bot.routes import EVENTS_PATH, slack_routes

    if any(getattr(route, "path", None) == EVENTS_PATH for route in extra_routes):
        return []
    return [*slack_routes(config)]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "Nothing here: check the address.", 405: "This address does not accept that method."}
    message = messages.get(exc.status_code, str(exc.detail))
    return error_response(exc.status_code, "not_found" if exc.status_code == 404 else "http_error", message)


async def _client_gone(request: Request, exc: Exception) -> Response:
    """A client that hangs up mid-body is not our error: one line, no traceback (nobody reads the answer)."""
    log.info("%s %s: the client disconnected before sending its whole body", request.method, request.url.path)
    return error_response(400, "client_disconnected", "The request body was not sent completely.")


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(
        {
            "error": {
                "code": "internal_error",
                "message": "Something went wrong on our side; please try again.",
            }
        },
        status_code=500,
    )
