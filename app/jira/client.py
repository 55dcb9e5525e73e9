"""The app's Jira REST v3 client: one typed method per operation the export needs.

Built on `atlassian-python-api`'s `JiraCloud` with its own retries switched off: this client makes exactly
one HTTP request per call and raises `JiraError`/`RateLimited`; the caller decides when to try again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import requests
from atlassian.jira import JiraCloud
from requests.auth import AuthBase

from app.jira.auth import ConnectJwtAuth
from app.jira.errors import JiraError, error_from_exception, error_from_response
from app.jira.models import (
    Attachment,
    BulkResult,
    CreatedIssue,
    FetchedIssues,
    FieldMeta,
    FoundIssue,
    IssueType,
    LinkType,
    PermissionGrants,
    Project,
)
from app.jira.planning import PlanningCalls
from app.jira.ratelimit import JiraRequest, Limiter, read_signal

BULK_LIMIT = 50
BULK_FETCH_LIMIT = 100
DEFAULT_TIMEOUT_S = 30
# A bulk create of 50 issues with descriptions, properties and links at creation is one long transaction on
# Jira's side (tens of seconds on a busy site), unlike every other call here. Cutting it short does not stop
# it: it only turns a success into an unknown outcome that costs a reconcile.
DEFAULT_BULK_TIMEOUT_S = 120
API = "/rest/api/3"


class JiraClient(PlanningCalls):
    """Parameters:
    base_url: the tenant's Jira baseUrl (from its `installed` callback; may carry a context path), or a Forge
        installation's `apiBaseUrl`.
    app_key: our Connect app key.
    shared_secret: the tenant's shared secret.
    auth: signs each request instead of the Connect JWT (Forge's `BearerAuth`); app_key/shared_secret unused.
    timeout_s: per-request timeout (whole seconds; the library truncates to int).
    bulk_timeout_s: the timeout of bulk create requests (see `DEFAULT_BULK_TIMEOUT_S`).
    session: a `requests.Session` to reuse (its `auth` is replaced by the JWT signer).
    limiter: told of every request and answer (the tenant's pacing; see `app.jira.ratelimit`).
    """

    def __init__(
        self,
        *,
        base_url: str,
        app_key: str = "",
        shared_secret: str = "",
        auth: AuthBase | None = None,
        timeout_s: int = DEFAULT_TIMEOUT_S,
        bulk_timeout_s: int = DEFAULT_BULK_TIMEOUT_S,
        session: requests.Session | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        self.limiter = limiter
        self.base_url = base_url.rstrip("/")
        session = session or requests.Session()
        session.auth = auth or ConnectJwtAuth(
            app_key=app_key, shared_secret=shared_secret, base_url=self.base_url
        )
        self._jira = self._library(session, timeout_s)
        # The library has one timeout per instance; a second one on the same session gives bulk create its
        # own without changing a shared attribute under the threads that use this client.
        self._bulk = self._library(session, bulk_timeout_s)

    def _library(self, session: requests.Session, timeout_s: int) -> JiraCloud:
        return JiraCloud(
            self.base_url,
            session=session,
            api_version=3,
            timeout=max(1, int(timeout_s)),
            advanced_mode=True,
            backoff_and_retry=False,
            retry_with_header=False,
        )

    def close(self) -> None:
        self._jira.close()

    def __enter__(self) -> JiraClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _request(
        self, method: str, path: str, call: Callable[[], requests.Response], issues: tuple[str, ...] = ()
    ) -> requests.Response:
        """`path` is the endpoint's template below /rest/api/3 (`/issue/{issue}`), `issues` the keys written."""
        request = JiraRequest(f"{method} {_endpoint(path)}", issues)
        if self.limiter is not None:
            self.limiter.before(request)
        try:
            response = call()
        except requests.RequestException as exc:
            raise error_from_exception(exc, method) from exc
        if self.limiter is not None:
            self.limiter.after(request, read_signal(response.status_code, response.headers))
        return response

    def _raise(self, response: requests.Response, method: str, path: str, issues: tuple[str, ...]) -> None:
        raise error_from_response(response, endpoint=f"{method} {_endpoint(path)}", issues=issues)

    def _send(
        self, method: str, path: str, call: Callable[[], requests.Response], issues: tuple[str, ...] = ()
    ) -> Any:
        response = self._request(method, path, call, issues)
        if response.status_code >= 400:
            self._raise(response, method, path, issues)
        return _json(response)

    # --- project metadata -------------------------------------------------------------------------------

    def get_project(self, key: str) -> Project:
        body = self._send("GET", "/project/{project}", lambda: self._jira.get_project(key))
        return Project.from_json({"name": key, **body})

    def issue_types(self, project_key: str) -> list[IssueType]:
        body = self._send(
            "GET",
            "/issue/createmeta/{project}/issuetypes",
            lambda: self._jira.get_create_issue_meta_issue_types(project_key, max_results=200),
        )
        return [IssueType.from_json(t) for t in body.get("issueTypes") or body.get("values") or []]

    def create_fields(self, project_key: str, issue_type_id: str) -> dict[str, FieldMeta]:
        body = self._send(
            "GET",
            "/issue/createmeta/{project}/issuetypes/{id}",
            lambda: self._jira.get_create_issue_meta_issue_type_id(
                project_key, issue_type_id, max_results=200
            ),
        )
        return {f["key"]: FieldMeta.from_json(f) for f in body.get("fields") or body.get("results") or []}

    def link_types(self) -> list[LinkType]:
        body = self._send("GET", "/issueLinkType", self._jira.get_issue_link_types)
        return [LinkType.from_json(t) for t in body.get("issueLinkTypes", [])]

    def link_type(self, name: str = "Blocks") -> LinkType:
        types = self.link_types()
        for t in types:
            if t.name.lower() == name.lower():
                return t
        for t in types:  # a renamed "Blocks" type keeps its outward description
            if t.outward.lower() == "blocks" and name.lower() == "blocks":
                return t
        raise JiraError("admin", None, f"this Jira site has no issue link type named {name!r}")

    # --- permissions ---------------------------------------------------------------------------------------

    def check_permissions(
        self, account_id: str, *, global_permissions: Sequence[str] = (), project_id: str = "",
        project_permissions: Sequence[str] = (),
    ) -> PermissionGrants:  # fmt: skip
        """One `POST /permissions/check` for `account_id` (a Connect app may ask about any user from its
        server, with the READ scope). Jira answers 400 for an account id it does not know."""
        data: dict[str, Any] = {"accountId": account_id, "globalPermissions": list(global_permissions)}
        if project_id and project_permissions:
            data["projectPermissions"] = [
                {"projects": [int(project_id)], "permissions": list(project_permissions)}
            ]
        body = self._send("POST", "/permissions/check", lambda: self._jira.get_bulk_permissions(data=data))
        return PermissionGrants.from_json(body if isinstance(body, dict) else {})

    # --- users --------------------------------------------------------------------------------------------

    def display_name(self, account_id: str) -> str:
        """One `GET /user?accountId=`: the name Jira shows for the account (people read names, never
        account ids). Jira answers 404 for an account it does not know."""
        body = self._send("GET", "/user", lambda: self._jira.get_user(account_id=account_id))
        name = body.get("displayName") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise JiraError("temporary", None, "Jira answered a user without a display name")
        return name.strip()

    # --- issues -------------------------------------------------------------------------------------------

    def bulk_create(self, issue_updates: Sequence[dict[str, Any]]) -> BulkResult:
        """One `POST /issue/bulk`. Per-item failures come back in `failed` (also when all fail: Jira's 400);
        the issues made come back unpaired (see `BulkResult`)."""
        if not 0 < len(issue_updates) <= BULK_LIMIT:
            raise ValueError(f"bulk create takes 1..{BULK_LIMIT} issues, got {len(issue_updates)}")
        data = {"issueUpdates": list(issue_updates)}
        response = self._request("POST", "/issue/bulk", lambda: self._bulk.create_issues(data=data))
        try:
            body = _json(response) if response.status_code in (201, 400) else None
        except JiraError:
            body = None
        if response.status_code >= 400 and not (isinstance(body, dict) and body.get("errors")):
            self._raise(response, "POST", "/issue/bulk", ())
        return BulkResult.from_json(body if isinstance(body, dict) else {})

    def bulk_fetch(
        self,
        ids_or_keys: Sequence[str],
        *,
        fields: Sequence[str] = ("summary",),
        properties: Sequence[str] = (),
    ) -> FetchedIssues:
        """One `POST /issue/bulkfetch`: a strongly consistent read (unlike search), with issue properties,
        of up to 100 issues. Ids and keys that match no issue are left out of the answer."""
        if not 0 < len(ids_or_keys) <= BULK_FETCH_LIMIT:
            raise ValueError(f"bulk fetch takes 1..{BULK_FETCH_LIMIT} issues, got {len(ids_or_keys)}")
        data: dict[str, Any] = {"issueIdsOrKeys": [str(i) for i in ids_or_keys], "fields": list(fields)}
        if properties:
            data["properties"] = list(properties)
        body = self._send("POST", "/issue/bulkfetch", lambda: self._jira.bulk_fetch_issues(data=data))
        return FetchedIssues.from_json(body if isinstance(body, dict) else {})

    def create_issue(self, issue_update: dict[str, Any]) -> CreatedIssue:
        body = self._send("POST", "/issue", lambda: self._jira.create_issue(data=issue_update))
        return CreatedIssue.from_json(body)

    def edit_issue(self, key: str, fields: dict[str, Any]) -> None:
        """One `PUT /issue/{key}` setting `fields` (each must be on the issue's edit screen). Sending the
        same fields again changes nothing, so an edit whose answer was lost is simply sent again."""
        self._send(
            "PUT",
            "/issue/{issue}",
            lambda: self._jira.edit_issue(key, data={"fields": fields}),
            issues=(key,),
        )

    def add_labels(self, key: str, labels: Sequence[str]) -> None:
        """One `PUT /issue/{key}` with `update.labels` add operations: the issue's other labels stay, and a
        label it already has is not added twice, so a request whose answer was lost is simply sent again."""
        data = {"update": {"labels": [{"add": label} for label in labels]}}
        self._send("PUT", "/issue/{issue}", lambda: self._jira.edit_issue(key, data=data), issues=(key,))

    def add_comment(
        self, key: str, body: dict[str, Any], *, properties: Mapping[str, Any] | None = None
    ) -> str:
        """One `POST /issue/{key}/comment` (an ADF body); returns the comment's id. Jira makes a second
        comment when the same one is sent twice: mark it with `properties` and look for it (`comments`)
        before sending it again after a lost answer."""
        data: dict[str, Any] = {"body": body}
        if properties:
            data["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        path = self._jira.resource_url(f"issue/{key}/comment")
        answer = self._send(
            "POST", "/issue/{issue}/comment", lambda: self._jira.post(path, data=data), issues=(key,)
        )
        return str((answer or {}).get("id") or "")

    def comments(self, key: str, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Every comment of the issue, oldest first, with its properties."""
        path = self._jira.resource_url(f"issue/{key}/comment")
        start = 0
        while True:
            params = {"startAt": start, "maxResults": page_size, "orderBy": "created", "expand": "properties"}
            page = self._send(
                "GET", "/issue/{issue}/comment", lambda params=params: self._jira.get(path, params=params)
            )
            comments = (page or {}).get("comments") or []
            yield from comments
            start += len(comments)
            if not comments or start >= int((page or {}).get("total") or 0):
                return

    def get_issue(
        self, key: str, *, fields: Sequence[str] = ("*all",), properties: Sequence[str] = ()
    ) -> dict[str, Any]:
        return self._send(
            "GET",
            "/issue/{issue}",
            lambda: self._jira.get_issue(
                key, fields=",".join(fields), properties=",".join(properties) if properties else None
            ),
        )

    def create_link(self, *, link_type: str, inward_key: str, outward_key: str) -> None:
        """For "Blocks", `inward_key` is the blocking issue (Jira: "outward blocks inward" is NOT what the
        request means — the sandbox contract test pins the direction)."""
        data = {
            "type": {"name": link_type},
            "inwardIssue": {"key": inward_key},
            "outwardIssue": {"key": outward_key},
        }
        self._send(
            "POST", "/issueLink", lambda: self._jira.link_issues(data=data), issues=(inward_key, outward_key)
        )

    def issue_links(self, key: str) -> list[dict[str, Any]]:
        """The issue's `issuelinks` entries: each has the link's `id`, its `type` and the other issue, as
        `inwardIssue` (it is the inward side: for Blocks, the one that blocks this issue) or `outwardIssue`."""
        body = self.get_issue(key, fields=["issuelinks"])
        links = ((body or {}).get("fields") or {}).get("issuelinks")
        return links if isinstance(links, list) else []

    def delete_link(self, link_id: str) -> bool:
        """One `DELETE /issueLink/{id}`; False when Jira has no such link (already deleted)."""
        return self._delete("/issueLink/{link}", f"issueLink/{link_id}")

    def add_attachment(
        self, key: str, *, filename: str, content: bytes, media_type: str = "text/markdown"
    ) -> list[Attachment]:
        path = self._jira.endpoint(f"issue/{key}/attachments")
        body = self._send(
            "POST",
            "/issue/{issue}/attachments",
            lambda: self._jira.post(
                path,
                files={"file": (filename, content, media_type)},
                headers={"X-Atlassian-Token": "no-check"},
            ),
            issues=(key,),
        )
        return [Attachment.from_json(a) for a in body]

    def delete_attachment(self, attachment_id: str) -> bool:
        """One `DELETE /attachment/{id}`; False when Jira has no such attachment (already deleted)."""
        return self._delete("/attachment/{id}", f"attachment/{attachment_id}")

    def _delete(self, template: str, resource: str) -> bool:
        """A delete whose 404 means done: what it deletes is already gone (an earlier answer was lost)."""
        try:
            self._send("DELETE", template, lambda: self._jira.delete(self._jira.resource_url(resource)))
        except JiraError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def set_property(self, key: str, property_key: str, value: Any) -> None:
        self._send(
            "PUT",
            "/issue/{issue}/properties/{key}",
            lambda: self._jira.set_issue_property(key, property_key, data=value),
            issues=(key,),
        )

    def get_property(self, key: str, property_key: str) -> Any | None:
        """The property's value, or None when the issue has no such property."""
        try:
            body = self._send(
                "GET",
                "/issue/{issue}/properties/{key}",
                lambda: self._jira.get_issue_property(key, property_key),
            )
        except JiraError as exc:
            if exc.status == 404 and "propert" in exc.message.lower():
                return None
            raise
        return body.get("value")

    # --- search -------------------------------------------------------------------------------------------

    def search_page(
        self,
        jql: str,
        *,
        fields: Sequence[str] = ("summary",),
        properties: Sequence[str] = (),
        page_size: int = 100,
        next_page_token: str | None = None,
        reconcile_ids: Sequence[int] = (),
    ) -> tuple[list[FoundIssue], str | None]:
        data: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": page_size}
        if properties:
            data["properties"] = list(properties)
        if next_page_token:
            data["nextPageToken"] = next_page_token
        if reconcile_ids:
            data["reconcileIssues"] = list(reconcile_ids)
        body = self._send(
            "POST", "/search/jql", lambda: self._jira.search_and_reconsile_issues_using_jql_post(data=data)
        )
        issues = [FoundIssue.from_json(i) for i in body.get("issues", [])]
        # The token is the documented signal ("null on the last or only page"); `isLast` is optional and
        # not always sent, so reading a missing one as "last" would drop every page after the first.
        return issues, body.get("nextPageToken") or None

    def search(
        self,
        jql: str,
        *,
        fields: Sequence[str] = ("summary",),
        properties: Sequence[str] = (),
        page_size: int = 100,
        reconcile_ids: Sequence[int] = (),
    ) -> Iterator[FoundIssue]:
        """All matches, following `nextPageToken`. Jira's search is eventually consistent; pass the ids
        of issues just written as `reconcile_ids` to read them back reliably."""
        token: str | None = None
        while True:
            issues, following = self.search_page(
                jql,
                fields=fields,
                properties=properties,
                page_size=page_size,
                next_page_token=token,
                reconcile_ids=reconcile_ids,
            )
            yield from issues
            if following is None:
                return
            if following == token:  # following it again would loop forever on the same page
                raise JiraError("temporary", None, "Jira's search returned the same nextPageToken twice")
            token = following


def _endpoint(path: str) -> str:
    """Platform calls are named below /rest/api/3; Jira Software's by their whole /rest/agile/1.0 path."""
    return path if path.startswith("/rest/") else f"{API}{path}"


def _json(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise JiraError("temporary", response.status_code, "Jira sent a response that is not JSON") from exc


def jql_string(value: str) -> str:
    """A JQL string literal (for property values and keys taken from data)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
