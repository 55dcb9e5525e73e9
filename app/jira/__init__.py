"""Calling Jira Cloud as the app (REST v3, Connect JWT-signed or Forge bearer token, no hidden retries)."""

from app.jira.auth import BearerAuth, ConnectJwtAuth
from app.jira.client import BULK_FETCH_LIMIT, BULK_LIMIT, JiraClient, jql_string
from app.jira.errors import JiraError, RateLimited
from app.jira.models import (
    Attachment,
    BulkResult,
    CreatedIssue,
    FetchedIssues,
    FieldMeta,
    FoundIssue,
    IssueType,
    ItemError,
    LinkType,
    PermissionGrants,
    Project,
    issue_number,
)

__all__ = [
    "BULK_FETCH_LIMIT",
    "BULK_LIMIT",
    "Attachment",
    "BearerAuth",
    "BulkResult",
    "ConnectJwtAuth",
    "CreatedIssue",
    "FetchedIssues",
    "FieldMeta",
    "FoundIssue",
    "IssueType",
    "ItemError",
    "JiraClient",
    "JiraError",
    "LinkType",
    "PermissionGrants",
    "Project",
    "RateLimited",
    "issue_number",
    "jql_string",
]
