"""What a clicker is told, privately, when a click cannot act: not an approver, or the batch moved on."""

from __future__ import annotations

from collections.abc import Sequence

from app.connect.permissions import permission_names
from bot._utils import escape
from bot.ports import BatchView


def not_approver(project_key: str) -> str:
    return (
        f"You are not an approver for {project_key}. Nothing was changed. "
        "A Jira admin can add you on the app's configure page."
    )


def missing_permissions(button: str, project_key: str, missing: Sequence[str]) -> str:
    listed = permission_names(missing)
    plural = len(missing) > 1
    return (
        f"Nothing was changed: *{button}* starts the export, which needs the {listed} "
        f"permission{'s' if plural else ''} in project {project_key}, and the Jira account linked to you "
        f"lacks {'them' if plural else 'it'}. A Jira administrator can grant {'them' if plural else 'it'} in "
        "the project's permission scheme, or another approver can act."
    )


def account_refused(why: str) -> str:
    """Jira gave an answer that is not about permissions (the linked account or the project is unknown)."""
    return f"Nothing was changed: your permissions in Jira could not be confirmed. {why}"


def unknown_account(account: str) -> str:
    return (
        f"Jira does not know the account id {account} linked to you; a Jira admin can correct it on the "
        "app's configure page."
    )


def permissions_unknown(button: str, project_key: str) -> str:
    return (
        f"Nothing was changed: Jira could not be asked whether the Jira account linked to you may create the "
        f"issues in project {project_key}. Please try again: click *{button}* in a minute."
    )


def other_workspace() -> str:
    return "This batch belongs to a Jira site linked to another Slack workspace. Nothing was changed."


def not_queued(button: str) -> str:
    return (
        "Nothing was changed: the export could not be queued just now (the app's job queue or database did "
        f"not answer). Please click *{button}* again in a minute."
    )


def stale(view: BatchView | None, clicked_revision: int | None = None) -> str:
    """Why a click on this message can no longer act."""
    if view is None:
        return "This batch no longer exists (it was deleted or the app was uninstalled). Nothing was changed."
    reasons = {
        "approved": f"it was already approved{by(view.approved_by)} and the export is starting",
        "exporting": f"it was already approved{by(view.approved_by)} and the issues are being created",
        "exported": "its issues were already created",
        "export_failed": "its export stopped; use *Resume* in the thread",
        "rejected": f"it was already rejected{by(view.rejected_by)}",
        "cancelled": "it was cancelled",
    }
    if view.status in reasons:
        why = reasons[view.status]
    elif (
        view.status == "awaiting_approval"
        and clicked_revision is not None
        and clicked_revision != view.revision
    ):
        why = "the drafts were edited and resubmitted since this message was posted; use the newest request"
    else:
        why = "the drafts were edited after it was submitted, which withdrew the request"
    return f"This request for *{escape(view.name)}* can no longer be acted on: {why}. Nothing was changed."


def by(user: str) -> str:
    return f" by <@{user}>" if user else ""
