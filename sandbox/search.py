"""`POST /rest/api/3/search/jql`: JQL over the site's issues, paged with `nextPageToken`, eventually
consistent like Jira (`index_delay_s` plus a random per-issue `index_lag_s`) unless the ids are listed in
`reconcileIssues`. `isLast` is optional in Jira's schema and left out of some answers (`omit_is_last`)."""

from __future__ import annotations

import base64
import json
import random
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import jql
from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.rest import JiraRest
from sandbox.store import Installation, Issue
from sandbox.validation import check_body
from sandbox.views import issue_json


def indexed_properties(installation: Installation) -> tuple[set[tuple[str, str]], dict[str, tuple[str, str]]]:
    """What the app's `jiraEntityProperties` module asked Jira to index, and the aliases it declared."""
    indexed: set[tuple[str, str]] = set()
    aliases: dict[str, tuple[str, str]] = {}
    modules = installation.descriptor.get("modules", {}).get("jiraEntityProperties", [])
    for module in modules if isinstance(modules, list) else []:
        if module.get("entityType", "issue") != "issue":
            continue
        for config in module.get("keyConfigurations", []):
            for extraction in config.get("extractions", []):
                target = (config["propertyKey"], extraction["objectName"])
                indexed.add(target)
                if extraction.get("alias"):
                    aliases[extraction["alias"]] = target
    return indexed, aliases


class JiraSearch(JiraRest):
    def routes(self) -> list[Route]:
        return [Route("/rest/api/3/search/jql", self.search, methods=["POST"])]

    @answers_like_jira
    async def search(self, request: Request) -> Response:
        installation = self.authenticate(request)
        body = await json_body(request)
        check_body("searchAndReconsileIssuesUsingJqlPost", body)
        indexed, aliases = indexed_properties(installation)
        query = jql.parse(body.get("jql", ""), indexed=indexed, aliases=aliases)
        unindexed = [clause for clause in query.property_clauses if clause not in indexed]
        if unindexed:
            self.state.stats.event("unindexed_property_queries")
        store, settings = self.state.store, self.state.settings
        now = time.time()
        reconcile = {int(i) for i in body.get("reconcileIssues") or []}
        properties = store.all_properties()
        found = [
            issue
            for issue in store.issues()
            if (
                indexed_at(issue, settings.index_delay_s, settings.index_lag_s) <= now
                or issue.id in reconcile
            )
            and query.matches((issue, properties.get(issue.id, {})))
        ]
        found.sort(key=jql.sort_key(query.order_by), reverse=query.descending)
        offset = _offset(body.get("nextPageToken"))
        fields = body.get("fields") or ["id"]
        size = max(1, min(int(body.get("maxResults") or 50), 5000 if fields == ["id"] else 100))
        page = found[offset : offset + size]
        is_last = offset + size >= len(found)
        result: dict[str, Any] = {
            "issues": [self._search_hit(issue, fields, body.get("properties") or []) for issue in page]
        }
        if self.state.rng.random() >= settings.omit_is_last:
            result["isLast"] = is_last
        if not is_last:
            result["nextPageToken"] = base64.urlsafe_b64encode(
                json.dumps({"o": offset + size}).encode()
            ).decode()
        return JSONResponse(result)

    def _search_hit(self, issue: Issue, fields: list[str], properties: list[str]) -> dict[str, Any]:
        if fields == ["id"] and not properties:
            return {"id": str(issue.id)}
        return issue_json(self.state, issue, fields=fields, properties=properties or None)


def indexed_at(issue: Issue, delay_s: float, lag_s: float) -> float:
    """When the search index has `issue`: its own random share of `lag_s`, the same at every search."""
    return issue.created + delay_s + random.Random(issue.id).random() * lag_s


def _offset(token: Any) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(str(token).encode()))["o"])
    except (ValueError, KeyError, TypeError) as exc:
        raise JiraProblem(400, "The provided next page token is invalid or expired.") from exc
