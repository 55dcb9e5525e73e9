"""The names `manifest.yml` (the Forge app, at the repository root) and the backend must agree on.

Forge routes every call through a key: a page names its resolver endpoint, an endpoint names its remote
and says which Jira tokens Forge sends with it, a trigger names its endpoint. A key renamed on one side only
breaks the app on a real site and nowhere else, so the keys, the backend routes they reach and the scopes
the app asks for are named once here, and `tests/forge/test_manifest.py` holds `manifest.yml` to them.

Scopes: Forge grants scopes to the whole app, so the app asks for the union of what each REST call needs
(`JIRA_CALLS`: Atlassian's OpenAPI names each operation's scopes), plus the scopes that let Forge hand the
remote a user or system token at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

MANIFEST_FILE = Path(__file__).resolve().parents[2] / "manifest.yml"

# --- the remote: our backend, reached at the deployment's public URL ------------------------------------
REMOTE_KEY = "backend"
BASE_URL_VARIABLE = "BASE_URL"  # manifest variable: `forge deploy` reads it from its environment

# --- pages (Custom UI resources built by `make forge-bundle` into static/<resource>) ------------------
PROJECT_PAGE_KEY = "ticketgen-project-page"
PROJECT_PAGE_TITLE = "Ticket Generator"
SETTINGS_PAGE_KEY = "ticketgen-settings"
SETTINGS_PAGE_TITLE = "Ticket Generator settings"
PANEL_RESOURCE = "panel"
SETTINGS_RESOURCE = "settings"
RESOURCE_DIR = "static"  # repository-relative; one directory per resource

# --- endpoints: what Forge calls on the backend, and with which tokens --------------------------------
UI_ENDPOINT = "ticketgen-ui"  # the pages' invokeRemote / requestRemote, at the panel's own /api/... paths
LIFECYCLE_ENDPOINT = "ticketgen-lifecycle"
SCHEDULED_ENDPOINT = "ticketgen-scheduled"
LIFECYCLE_PATH = "/forge/lifecycle"  # installed, upgraded, uninstalled
SCHEDULED_PATH = "/forge/scheduled"  # the scheduled trigger: a fresh system token for background exports
# What the Connect panel gets rendered into its page (approval settings); a static Custom UI page asks.
PAGE_CONTEXT_PATH = "/api/projects/{project_key}/page-context"

# --- triggers -----------------------------------------------------------------------------------------
LIFECYCLE_TRIGGER = "ticketgen-lifecycle-events"
SCHEDULED_TRIGGER = "ticketgen-token-refresh"
SCHEDULE_INTERVAL = "fiveMinute"  # Forge's shortest: a system token never gets older than that unrenewed
INSTALLED = "avi:forge:installed:app"
UPGRADED = "avi:forge:upgraded:app"
UNINSTALLED = "avi:forge:uninstalled:app"
LIFECYCLE_EVENTS = (INSTALLED, UPGRADED, UNINSTALLED)


class Token(StrEnum):
    """Which Jira token a call is made with: the user's (Jira applies that person's permissions) or the
    app's system token (background work nobody is signed in for)."""

    USER = "user"
    SYSTEM = "system"


TOKEN_SCOPES = {Token.USER: "read:app-user-token", Token.SYSTEM: "read:app-system-token"}

ENDPOINT_TOKENS: dict[str, tuple[Token, ...]] = {
    # The UI endpoint also carries the system token: every invocation refreshes the stored one.
    UI_ENDPOINT: (Token.USER, Token.SYSTEM),
    LIFECYCLE_ENDPOINT: (Token.SYSTEM,),
    SCHEDULED_ENDPOINT: (Token.SYSTEM,),
}
ENDPOINT_ROUTES: dict[str, str | None] = {
    UI_ENDPOINT: None,  # the path comes from each call
    LIFECYCLE_ENDPOINT: LIFECYCLE_PATH,
    SCHEDULED_ENDPOINT: SCHEDULED_PATH,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class JiraCall:
    """One REST call the app makes: `path` is below /rest/api/3 as `app.jira.client` names it, or a whole
    /rest/agile/1.0 path for Jira Software's; `scopes` are the OpenAPI's current OAuth 2.0 scopes of
    `operation_id` (Jira Software's: the granular scopes its reference names, as it takes no classic ones);
    `tokens` those it is made with."""

    operation_id: str
    method: str
    path: str
    scopes: tuple[str, ...]
    tokens: tuple[Token, ...]
    purpose: str


READ = ("read:jira-work",)
WRITE = ("write:jira-work",)

JIRA_CALLS: tuple[JiraCall, ...] = (
    JiraCall(
        operation_id="getBulkPermissions", method="POST", path="/permissions/check", scopes=(),
        tokens=(Token.USER,), purpose="what the signed-in user may do (admin; create, link, attach in the project)",
    ),
    JiraCall(
        operation_id="getProject", method="GET", path="/project/{project}", scopes=READ,
        tokens=(Token.USER, Token.SYSTEM),
        purpose="the project's id: the user's, to match the page's context; the export's, before creating",
    ),
    JiraCall(
        operation_id="getCreateIssueMetaIssueTypes", method="GET",
        path="/issue/createmeta/{project}/issuetypes", scopes=READ, tokens=(Token.SYSTEM,),
        purpose="the export: the project's issue types",
    ),
    JiraCall(
        operation_id="getCreateIssueMetaIssueTypeId", method="GET",
        path="/issue/createmeta/{project}/issuetypes/{id}", scopes=READ, tokens=(Token.SYSTEM,),
        purpose="the export: the create screen's fields (labels, required fields)",
    ),
    JiraCall(
        operation_id="getIssueLinkTypes", method="GET", path="/issueLinkType", scopes=READ,
        tokens=(Token.SYSTEM,), purpose="the export: the Blocks link type, also when renamed",
    ),
    JiraCall(
        operation_id="createIssues", method="POST", path="/issue/bulk", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="the export: up to 50 issues a request",
    ),
    JiraCall(
        operation_id="createIssue", method="POST", path="/issue", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="the export: one issue a bulk create refused as a whole",
    ),
    JiraCall(
        operation_id="bulkFetchIssues", method="POST", path="/issue/bulkfetch", scopes=READ,
        tokens=(Token.SYSTEM,), purpose="the export: pair created issues with drafts by their property",
    ),
    JiraCall(
        operation_id="searchAndReconsileIssuesUsingJqlPost", method="POST", path="/search/jql",
        scopes=READ, tokens=(Token.SYSTEM,),
        purpose="the export: the project's newest key before creating; at submit, drafts earlier batches created",
    ),
    JiraCall(
        operation_id="editIssue", method="PUT", path="/issue/{issue}", scopes=WRITE, tokens=(Token.SYSTEM,),
        purpose="a re-upload's \"update the existing issues\": their summary and description; the plan's "
        "fields a create screen lacks",
    ),
    JiraCall(
        operation_id="assignIssue", method="PUT", path="/issue/{issue}/assignee", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="the export: the planned assignee when the create screen has no Assignee",
    ),
    JiraCall(
        operation_id="getUser", method="GET", path="/user", scopes=("read:jira-user",), tokens=(Token.SYSTEM,),
        purpose="display names of who submitted, approved or rejected a batch",
    ),
    JiraCall(
        operation_id="getIssue", method="GET", path="/issue/{issue}", scopes=READ,
        tokens=(Token.SYSTEM,), purpose="the export: an issue's attachments before adding one",
    ),
    JiraCall(
        operation_id="linkIssues", method="POST", path="/issueLink", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="the export: Blocks links in build order",
    ),
    JiraCall(
        operation_id="addAttachment", method="POST", path="/issue/{issue}/attachments", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="the export: the full tables of a description over 30,000 characters",
    ),
    JiraCall(
        operation_id="setIssueProperty", method="PUT", path="/issue/{issue}/properties/{key}",
        scopes=WRITE, tokens=(Token.SYSTEM,), purpose="the client's issue property write",
    ),
    JiraCall(
        operation_id="getIssueProperty", method="GET", path="/issue/{issue}/properties/{key}",
        scopes=READ, tokens=(Token.SYSTEM,), purpose="the client's issue property read",
    ),
    JiraCall(
        operation_id="findAssignableUsers", method="GET", path="/user/assignable/search",
        scopes=("read:jira-user",), tokens=(Token.USER, Token.SYSTEM),
        purpose="the plan: people assignable in the project, by name; before export, that each assignee still is",
    ),
    JiraCall(
        operation_id="getAllBoards", method="GET", path="/rest/agile/1.0/board",
        scopes=("read:board-scope:jira-software", "read:project:jira"), tokens=(Token.USER,),
        purpose="the plan: the project's boards, for its sprints",
    ),
    JiraCall(
        operation_id="getAllSprints", method="GET", path="/rest/agile/1.0/board/{board}/sprint",
        scopes=("read:sprint:jira-software",), tokens=(Token.USER,),
        purpose="the plan: a board's active and future sprints",
    ),
    JiraCall(
        operation_id="moveIssuesToSprintAndRank", method="POST", path="/rest/agile/1.0/sprint/{sprint}/issue",
        scopes=("write:sprint:jira-software",), tokens=(Token.SYSTEM,),
        purpose="the export: created issues into the chosen sprint, up to 50 a request",
    ),
    JiraCall(
        operation_id="addComment", method="POST", path="/issue/{issue}/comment", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="a re-sync: the spec's changes on a Done issue, or why an issue left the spec",
    ),
    JiraCall(
        operation_id="getComments", method="GET", path="/issue/{issue}/comment", scopes=READ,
        tokens=(Token.SYSTEM,), purpose="a re-sync: was a comment whose answer was lost posted (its property)",
    ),
    JiraCall(
        operation_id="deleteIssueLink", method="DELETE", path="/issueLink/{link}", scopes=WRITE,
        tokens=(Token.SYSTEM,), purpose="a re-sync: a Blocks link the revised spec no longer has",
    ),
    JiraCall(
        operation_id="removeAttachment", method="DELETE", path="/attachment/{id}", scopes=WRITE,
        tokens=(Token.SYSTEM,),
        purpose="a re-sync: the app's earlier full description of an edited issue, once the revised one is attached",
    ),
)  # fmt: skip


def full_path(call: JiraCall) -> str:
    return call.path if call.path.startswith("/rest/") else f"/rest/api/3{call.path}"


def scopes() -> tuple[str, ...]:
    """What `permissions.scopes` must hold: every call's scopes and the token scopes endpoints use."""
    needed = {scope for call in JIRA_CALLS for scope in call.scopes}
    needed |= {TOKEN_SCOPES[token] for tokens in ENDPOINT_TOKENS.values() for token in tokens}
    return tuple(sorted(needed))
