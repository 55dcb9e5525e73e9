"""Calling Jira Cloud as the Connect app (REST v3, JWT-signed, no hidden retries)."""

from app.jira.auth import ConnectJwtAuth
from app.jira.client import BULK_LIMIT, JiraClient, jql_string
from app.jira.errors import JiraError, RateLimited
from app.jira.models import (
    Attachment,
    BulkResult,
    CreatedIssue,
    FieldMeta,
    FoundIssue,
    IssueType,
    ItemError,
    LinkType,
    Project,
)

__all__ = [
    "BULK_LIMIT",
    "Attachment",
    "BulkResult",
    "ConnectJwtAuth",
    "CreatedIssue",
    "FieldMeta",
    "FoundIssue",
    "IssueType",
    "ItemError",
    "JiraClient",
    "JiraError",
    "LinkType",
    "Project",
    "RateLimited",
    "jql_string",
]
