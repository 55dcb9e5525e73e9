"""The Slack stand-in's workspaces and its OAuth v2 install, as Slack's reference describes them.

- A workspace (team) has its own channels and its own bot tokens; a token reaches only its team's channels,
  so a channel of another team is `channel_not_found` to it, as Slack answers for a channel the caller cannot
  see. Each token carries the scopes it was granted; a method outside them is `missing_scope`.
- `oauth/v2/authorize` (here `authorize`, what the installing user's browser does) sends the user back to a
  redirect URL registered for the app, with a `code` and the app's `state`.
- `oauth.v2.access` (docs.slack.dev/reference/methods/oauth.v2.access) exchanges the code: the client's id
  and secret by HTTP Basic auth or in the body; `invalid_client_id`, `bad_client_secret`; the code works once,
  for ten minutes, for the client it was issued to, else `invalid_code`; `redirect_uri` must be the one sent
  to authorize when one was sent, else `bad_redirect_uri`. The answer is a bot token of the installed team.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CODE_TTL = 600.0
APP_ID = "A0TICKETGEN"
ALL_SCOPES = frozenset({"chat:write", "channels:read", "groups:read", "commands"})
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "conversations.info": "channels:read",
}


@dataclass
class Workspace:
    team_id: str
    name: str
    channels: set[str]
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)  # bot token → granted scopes
    bot_user: str = "U0BOT"
    bot_id: str = "B0BOT"

    def new_bot_token(self, scopes: frozenset[str]) -> str:
        token = f"xoxb-{self.team_id}-{secrets.token_hex(12)}"
        self.tokens[token] = scopes
        return token


@dataclass
class Grant:
    client_id: str
    team_id: str
    user: str
    scopes: frozenset[str]
    redirect_uri: str  # as sent to authorize ("" when none was)
    issued: float
    used: bool = False


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    redirect_urls: tuple[str, ...]


class OAuth:
    """The app's OAuth credentials and the codes users' approvals issued; `now` is the stand-in's clock."""

    def __init__(self, now: Any) -> None:
        self.now = now
        self.app: OAuthApp | None = None
        self.grants: dict[str, Grant] = {}

    def register(self, *, redirect_urls: tuple[str, ...]) -> OAuthApp:
        self.app = OAuthApp(
            client_id=f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}",
            client_secret=secrets.token_hex(16),
            redirect_urls=redirect_urls,
        )
        return self.app

    def authorize(self, url: str, *, workspace: Workspace, user: str) -> str:
        """The user approves the install in `workspace`: the URL Slack redirects their browser to."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        app = self.app
        if app is None or query.get("client_id") != app.client_id:
            raise AssertionError(f"Slack would show 'Invalid client_id parameter' for {url}")
        redirect = query.get("redirect_uri", "")
        if redirect and redirect not in app.redirect_urls:
            raise AssertionError(
                f"Slack would show 'redirect_uri did not match any configured URIs': {redirect}"
            )
        code = f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        scopes = frozenset(s for s in query.get("scope", "").split(",") if s)
        self.grants[code] = Grant(app.client_id, workspace.team_id, user, scopes, redirect, self.now())
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        target = redirect or app.redirect_urls[0]
        return f"{target}{'&' if '?' in target else '?'}{urlencode(back)}"

    def access(
        self, args: dict[str, Any], basic: tuple[str, str] | None, teams: dict[str, Workspace]
    ) -> dict[str, Any]:
        client_id, client_secret = basic or (
            str(args.get("client_id", "")),
            str(args.get("client_secret", "")),
        )
        app = self.app
        if app is None or client_id != app.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if client_secret != app.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        grant = self.grants.get(str(args.get("code", "")))
        if (
            grant is None
            or grant.used
            or grant.client_id != client_id
            or self.now() - grant.issued > CODE_TTL
        ):
            return {"ok": False, "error": "invalid_code"}
        if grant.redirect_uri and str(args.get("redirect_uri", "")) != grant.redirect_uri:
            return {"ok": False, "error": "bad_redirect_uri"}
        grant.used = True
        team = teams[grant.team_id]
        token = team.new_bot_token(grant.scopes)
        return {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(sorted(grant.scopes)),
            "bot_user_id": team.bot_user,
            "app_id": APP_ID,
            "team": {"name": team.name, "id": team.team_id},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": grant.user},
        }
