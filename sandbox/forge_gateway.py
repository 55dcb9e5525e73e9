"""The sandbox's Jira REST as Atlassian's API gateway serves it to a Forge remote (`app.apiBaseUrl`): only a
bearer token the sandbox issued to the app (a system token, or a user's) gets in, while unexpired; any other
answers 401, as the gateway does. A call whose operation needs a scope the app's manifest does not declare
answers 403: Forge grants the app exactly the scopes of its manifest (`permissions.scopes`).

The scopes each operation needs are the "Current" OAuth 2.0 scopes of Atlassian's Jira Cloud platform REST v3
OpenAPI document (`x-atlassian-oauth2-scopes`), for the operations the sandbox implements; they are written
here from that document, not from the app's own table (`app/forge/manifest.py`), so a scope missing on the
app's side shows up as the 403 a real site would give. Jira Software's (`/rest/agile/1.0`) are not in that
document: they are the granular scopes its reference names for each operation.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Literal

import jwt
from starlette.requests import Request

from sandbox._utils import JiraProblem
from sandbox.permissions import APP
from sandbox.records import Installation

TokenKind = Literal["system", "user"]
SYSTEM_TOKEN_TTL_S = 7200  # Forge: a system token lives at least 2 hours
USER_TOKEN_TTL_S = 900

_PRUNE_AT = 2000
_READ = frozenset({"read:jira-work"})
_WRITE = frozenset({"write:jira-work"})
_KEY = r"[^/]+"
# (method, path below the API base URL) → scopes, from the OpenAPI document's "Current" scheme.
OPERATION_SCOPES: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = tuple(
    (method, re.compile(f"^/rest/api/3{path}$"), scopes)
    for method, path, scopes in (
        ("POST", "/issue", _WRITE),  # createIssue
        ("POST", "/issue/bulk", _WRITE),  # createIssues
        ("POST", "/issue/bulkfetch", _READ),  # bulkFetchIssues
        ("GET", f"/issue/{_KEY}", _READ),  # getIssue
        ("PUT", f"/issue/{_KEY}", _WRITE),  # editIssue
        ("PUT", f"/issue/{_KEY}/assignee", _WRITE),  # assignIssue
        ("POST", f"/issue/{_KEY}/attachments", _WRITE),  # addAttachment
        ("DELETE", f"/attachment/{_KEY}", _WRITE),  # removeAttachment
        ("GET", f"/issue/{_KEY}/properties/{_KEY}", _READ),  # getIssueProperty
        ("PUT", f"/issue/{_KEY}/properties/{_KEY}", _WRITE),  # setIssueProperty
        ("POST", "/issueLink", _WRITE),  # linkIssues
        ("DELETE", f"/issueLink/{_KEY}", _WRITE),  # deleteIssueLink
        ("POST", f"/issue/{_KEY}/comment", _WRITE),  # addComment
        ("GET", f"/issue/{_KEY}/comment", _READ),  # getComments
        ("GET", "/issueLinkType", _READ),  # getIssueLinkTypes
        ("GET", f"/issue/createmeta/{_KEY}/issuetypes", _READ),  # getCreateIssueMetaIssueTypes
        ("GET", f"/issue/createmeta/{_KEY}/issuetypes/{_KEY}", _READ),  # getCreateIssueMetaIssueTypeId
        ("GET", f"/project/{_KEY}", _READ),  # getProject
        ("POST", "/search/jql", _READ),  # searchAndReconsileIssuesUsingJqlPost
        ("POST", "/permissions/check", frozenset()),  # getBulkPermissions: no scope
        ("GET", "/user", frozenset({"read:jira-user"})),  # getUser
        ("GET", "/user/assignable/search", frozenset({"read:jira-user"})),  # findAssignableUsers
    )
) + tuple(
    (method, re.compile(f"^/rest/agile/1.0{path}$"), scopes)
    for method, path, scopes in (  # Jira Software takes granular scopes only (its docs, per operation)
        ("GET", "/board", frozenset({"read:board-scope:jira-software", "read:project:jira"})),  # getAllBoards
        ("GET", f"/board/{_KEY}/sprint", frozenset({"read:sprint:jira-software"})),  # getAllSprints
        (
            "POST",
            f"/sprint/{_KEY}/issue",
            frozenset({"write:sprint:jira-software"}),
        ),  # moveIssuesToSprintAndRank
    )
)


def needed_scopes(method: str, path: str) -> frozenset[str] | None:
    """The scopes an operation needs; None for a path the table does not know (the route answers it)."""
    for known_method, pattern, scopes in OPERATION_SCOPES:
        if known_method == method and pattern.match(path):
            return scopes
    return None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    kind: TokenKind
    account_id: str  # whose rights Jira applies: the app's own user for a system token
    expires_at: float


class ForgeGateway:
    """Parameters:
    installation: what the sandbox's REST endpoints know of the app once it is installed.
    scopes: the scopes the app's manifest declares.
    """

    def __init__(self, *, installation: Installation, scopes: frozenset[str]) -> None:
        self.installation = installation
        self.scopes = scopes
        self._issued: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def issue(self, kind: TokenKind, *, account_id: str = APP, ttl_s: float | None = None) -> str:
        """A token as Forge sends it to a remote: a JWT (signed by a key nobody else holds) whose `exp` is
        its expiry; the gateway knows it by its value."""
        lifetime = (
            ttl_s if ttl_s is not None else SYSTEM_TOKEN_TTL_S if kind == "system" else USER_TOKEN_TTL_S
        )
        now = time.time()
        claims = {
            "sub": account_id,
            "iat": int(now),
            "exp": int(now + lifetime),
            "jti": secrets.token_hex(12),
        }
        token = jwt.encode(claims, secrets.token_bytes(32), algorithm="HS256")
        with self._lock:
            if len(self._issued) >= _PRUNE_AT:  # the panel polls: every call brings new tokens
                self._issued = {t: i for t, i in self._issued.items() if i.expires_at > now}
            self._issued[token] = IssuedToken(kind=kind, account_id=account_id, expires_at=now + lifetime)
        return token

    def authenticate(self, request: Request) -> Installation:
        """Who calls: the account whose rights apply is put on `request.state.jira_account`."""
        authorization = request.headers.get("authorization", "")
        if authorization[:7].lower() != "bearer ":
            raise JiraProblem(401, "Unauthorized")  # Connect JWTs included
        with self._lock:
            issued = self._issued.get(authorization[7:].strip())
        if issued is None or issued.expires_at <= time.time():
            raise JiraProblem(401, "Unauthorized")
        path = request.url.path
        at = max(path.find("/rest/api/3/"), path.find("/rest/agile/1.0/"))
        needed = needed_scopes(request.method, path[at:]) if at >= 0 else None
        missing = sorted((needed or frozenset()) - self.scopes)
        if missing:
            raise JiraProblem(403, f"Unauthorized; scope does not match (needs {', '.join(missing)})")
        request.state.jira_account = issued.account_id
        return self.installation
