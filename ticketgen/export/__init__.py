"""The pure half of the Jira export: drafts in, request bodies and plans out. No I/O.

    target = Target(project_id="10000", issue_type_id="10001", labels=("drupal",))
    prepared = prepare(drafts, batch_id=batch.id, target=target)        # one description per draft
    drafts = export_order(drafts)                                        # blockers first, manual links too
    chunks = plan_chunks(drafts, pending=keys, created=done, links_at_creation=True)
    body = issue_update(prepared[key], blockers=["UWEC-1"], link_type="Blocks")   # IssueUpdateDetails
    pairs = dependency_pairs(drafts)                                     # (blocker, blocked) Blocks links
    draft_key = marked_draft(issue.properties, batch.id)                 # which draft an issue is for

The jobs side (`jobs/export.py`) does the requests and the bookkeeping around them.
"""

from ticketgen.export.chunks import Chunk, OrderCycleError, dependency_pairs, export_order, plan_chunks
from ticketgen.export.payload import (
    PROPERTY_KEY,
    Prepared,
    Target,
    issue_update,
    jira_labels,
    marked_draft,
    prepare,
)
from ticketgen.export.summary import FailedDraft, hint_for, summarize

__all__ = [
    "PROPERTY_KEY",
    "Chunk",
    "FailedDraft",
    "OrderCycleError",
    "Prepared",
    "Target",
    "dependency_pairs",
    "export_order",
    "hint_for",
    "issue_update",
    "jira_labels",
    "marked_draft",
    "plan_chunks",
    "prepare",
    "summarize",
]
