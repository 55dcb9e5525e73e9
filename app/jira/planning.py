"""The Jira calls that plan an export: people who can be assigned in the project, the project's boards and
their open sprints (Jira Software's REST API, `/rest/agile/1.0`), and moving created issues into a sprint.

A mixin of `JiraClient`: one HTTP request per call, through the client's `_send`, so the rate limiter and the
error classification apply as to every other call. Each call and its scopes are listed in
`app/forge/manifest.py` (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import requests
from atlassian.jira import JiraCloud

from app.jira.models import Board, JiraUser, Sprint

MOVE_LIMIT = 50  # issues a sprint move takes at once
PAGE_LIMIT = 20  # pages read at most: a project with more boards, or a board with more sprints, is not ours


class PlanningCalls:
    _jira: JiraCloud

    def _send(
        self, method: str, path: str, call: Callable[[], requests.Response], issues: tuple[str, ...] = ()
    ) -> Any:
        raise NotImplementedError  # JiraClient's

    def assignable_users(self, project_key: str, query: str, *, max_results: int = 50) -> list[JiraUser]:
        """People who can be assigned issues in the project whose name or address starts with `query`. Jira
        filters after paging, so a short answer does not mean nobody else matches: ask with a longer query."""
        params = {"project": project_key, "query": query, "maxResults": max_results}
        body = self._send(
            "GET",
            "/user/assignable/search",
            lambda: self._jira.get("rest/api/3/user/assignable/search", params=params),
        )
        return [JiraUser.from_json(u) for u in body or []]

    def is_assignable(self, project_key: str, account_id: str) -> bool:
        """The check before an export: Jira lists the account only when it can be assigned in the project."""
        params = {"project": project_key, "accountId": account_id}
        body = self._send(
            "GET",
            "/user/assignable/search",
            lambda: self._jira.get("rest/api/3/user/assignable/search", params=params),
        )
        return any(u.get("accountId") == account_id for u in body or [])

    def assign(self, issue_key: str, account_id: str) -> None:
        """Jira's assign issue: needs Assign Issues only, and no screen, so it sets the assignee of an issue
        whose create screen lacks the Assignee field."""
        self._send(
            "PUT",
            "/issue/{issue}/assignee",
            lambda: self._jira.put(f"rest/api/3/issue/{issue_key}/assignee", data={"accountId": account_id}),
            (issue_key,),
        )

    def boards(self, project_key: str) -> list[Board]:
        def page(start: int) -> Any:
            params = {"projectKeyOrId": project_key, "startAt": start}
            return self._send(
                "GET", "/rest/agile/1.0/board", lambda: self._jira.get("rest/agile/1.0/board", params=params)
            )

        return [Board.from_json(b) for b in _every_page(page)]

    def open_sprints(self, board_id: int) -> list[Sprint]:
        """The board's active and future sprints: the only ones Jira lets issues into."""

        def page(start: int) -> Any:
            params = {"state": "active,future", "startAt": start}
            return self._send(
                "GET",
                "/rest/agile/1.0/board/{board}/sprint",
                lambda: self._jira.get(f"rest/agile/1.0/board/{int(board_id)}/sprint", params=params),
            )

        return [Sprint.from_json(s) for s in _every_page(page)]

    def move_to_sprint(self, sprint_id: int, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), MOVE_LIMIT):
            chunk = list(keys[start : start + MOVE_LIMIT])
            self._send(
                "POST",
                "/rest/agile/1.0/sprint/{sprint}/issue",
                lambda chunk=chunk: self._jira.post(
                    f"rest/agile/1.0/sprint/{int(sprint_id)}/issue", data={"issues": chunk}
                ),
                tuple(chunk),
            )


def _every_page(page: Callable[[int], Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for _ in range(PAGE_LIMIT):
        body = page(len(found)) or {}
        values = body.get("values") or []
        found += values
        if body.get("isLast", True) or not values:
            break
    return found
