"""`GET /rest/api/3/user?accountId=…` answering as Jira does, for the people the site knows.

From the reference OpenAPI (`getUser`): `accountId` is at most 128 characters; the answer is a `User`
(`self`, `accountId`, `accountType`, `active`, `displayName`, `avatarUrls`, `timeZone`, `locale`; the email
address stays hidden, as profile visibility hides it by default); 401 without valid credentials, 404 for
an account the site does not know. The reference does not say what an empty query answers: the sandbox
answers 400, as Jira Cloud does when no user is named (`username` and `key` are gone under GDPR, so
only `accountId` names one). The site knows its person (`SandboxSettings.user_name`) and every account
given permissions through the admin endpoint (named after its id: the admin endpoint takes no names).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira
from sandbox.permissions import APP
from sandbox.rest import JiraRest

ACCOUNT_MAX = 128
NO_USER = "Specified user does not exist or you do not have required permissions"
AVATAR_SIZES = ("48x48", "32x32", "24x24", "16x16")


class JiraUsers(JiraRest):
    def routes(self) -> list[Route]:
        return [Route("/rest/api/3/user", self.user, methods=["GET"])]

    @answers_like_jira
    async def user(self, request: Request) -> Response:
        self.authenticate(request)
        if {"username", "key"} & set(request.query_params):
            raise JiraProblem(400, "The username and key query parameters are not supported; use accountId.")
        account = request.query_params.get("accountId", "")
        if not account:
            raise JiraProblem(400, "The accountId query parameter is required.")
        if len(account) > ACCOUNT_MAX:
            raise JiraProblem(400, f"accountId: size must be between 0 and {ACCOUNT_MAX}")
        name = self.display_name(account)
        if name is None:
            raise JiraProblem(404, NO_USER)
        url = f"{self.state.base_url}/rest/api/3/user?accountId={quote(account, safe='')}"
        avatar = f"{self.state.base_url}/avatar/{quote(account, safe='')}"
        return JSONResponse(
            {
                "self": url,
                "accountId": account,
                "accountType": "app" if account == APP else "atlassian",
                "active": True,
                "displayName": name,
                "avatarUrls": {size: f"{avatar}?s={size.split('x')[0]}" for size in AVATAR_SIZES},
                "timeZone": "UTC",
                "locale": "en_US",
            }
        )

    def display_name(self, account: str) -> str | None:
        settings = self.state.settings
        if account == settings.user_account_id:
            return settings.user_name
        if account == APP:
            return "Ticket Generator"
        if self.state.permissions.of(account) is None:
            return None
        return f"Jira user {account.rsplit(':', 1)[-1][:8]}"
