"""The base of the sandbox's Jira REST API (v3 subset): every call must carry the app's JWT with the right
QSH; missing issues and projects answer 404 with Jira's own words."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from app.connect.errors import ApiError
from app.connect.tokens import extract_token, request_qsh, unverified_issuer, verify_hs256
from sandbox._utils import JiraProblem
from sandbox.state import SandboxState
from sandbox.store import Installation, Issue

NO_ISSUE = "Issue does not exist or you do not have permission to see it."


class JiraRest:
    """One group of endpoints per subclass (`metadata.py`, `issue_api.py`, `search.py`).

    Parameters:
    state: the sandbox site's state.
    """

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def authenticate(self, request: Request) -> Installation:
        """Connect: the app's JWT with the request's QSH. Forge (`state.gateway` set): a bearer token the
        sandbox issued, with the scopes the call needs (`forge_gateway.py`); never both on one site."""
        if self.state.gateway is not None:
            return self.state.gateway.authenticate(request)
        try:
            token = extract_token(request)
            if not token:
                raise JiraProblem(401, "Client must be authenticated to access this resource.")
            installation = self.state.store.installation(unverified_issuer(token))
            if installation is None:
                raise JiraProblem(401, "Add-on is not installed on this site.")
            verify_hs256(
                token,
                installation.shared_secret,
                expected_qsh=request_qsh(request, base_path=self.state.context_path),
                allow_context_qsh=False,
            )
        except ApiError as exc:
            raise JiraProblem(401, f"Authentication failed: {exc.message}") from exc
        return installation

    def issue_or_404(self, key: str) -> Issue:
        issue = self.state.store.issue(key)
        if issue is None:
            raise JiraProblem(404, NO_ISSUE)
        return issue

    def project_or_404(self, key: str) -> Any:
        project = self.state.store.project(key)
        if project is None:
            raise JiraProblem(404, f"No project could be found with key '{key}'.")
        return project
