"""The panel's re-sync (issue 15): make a batch's plan against the issues an earlier batch created, show it
like a pull request, settle its conflicts, and check it before a submission applies it.

The plan is made on the drafts as they are (`app.resync.made_on` remembers their fingerprint): an edit of the
drafts afterwards leaves it stale, shown as such and refused at submission until it is made again. It is
made and settled only while the batch can still be edited and submitted (drafted or rejected), never while
an approver is looking at it or it is being applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import json_body, ok, project_batch, store_of
from app.connect.auth import Auth, api_endpoint, permissions_of
from app.connect.errors import ApiError
from app.connect.permissions import require_project
from app.hosts import WaitingForAuthorization
from app.jira import JiraError, RateLimited
from app.resync import is_current, made_on, plan_counts
from app.store import Batch, BatchStatus
from ticketgen.drafts.model import Draft
from ticketgen.resync import (
    CHOICES,
    ResyncPlan,
    UnknownChoice,
    chosen,
    conflicts_as_made,
    headline_of,
    settle,
)

SETTLEABLE = frozenset({BatchStatus.DRAFTED, BatchStatus.REJECTED})
CHOICE_LABELS = {
    "keep-jira": "Keep Jira's text",
    "take-spec": "Take the spec",
    "comment": "Add the spec's changes as a comment",
}


@api_endpoint
async def make_plan(request: Request, auth: Auth) -> JSONResponse:
    """Reads Jira as the app: only someone who may submit the batch may make its plan."""
    await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
    batch = _settleable(await project_batch(request, auth))
    store = store_of(request)
    drafts = await store.load_drafts(auth.tenant.id, batch.id)  # before planning: an edit meanwhile is stale
    try:
        plan = await request.app.state.resync.plan(store, auth.tenant, batch)
    except RateLimited as exc:
        raise ApiError(
            503, "jira_rate_limited",
            f"Jira asks the app to slow down its requests to {batch.project_key} just now; no plan was made. "
            f"Try again in {max(1, round(exc.retry_after_s or 0))} seconds.",
        ) from exc  # fmt: skip
    except JiraError as exc:
        why = "Jira did not answer" if exc.status is None else f"Jira answered HTTP {exc.status}"
        raise ApiError(
            503, "jira_unavailable",
            f"The app could not read the issues of {batch.project_key} to compare them with the drafts ({why}); "
            "no plan was made. Try again in a minute.",
        ) from exc  # fmt: skip
    except WaitingForAuthorization as exc:
        raise ApiError(
            503, "waiting_for_authorization",
            f"The app could not read the issues of {batch.project_key}: it is waiting for Jira authorization "
            "(Forge brings a fresh token within minutes); no plan was made.",
        ) from exc  # fmt: skip
    if plan is None:
        raise ApiError(
            409, "nothing_to_resync",
            f"No earlier batch created issues in {batch.project_key} for these drafts, so there is nothing to "
            "re-sync: submit the batch to create them as new issues.",
        )  # fmt: skip
    plan = made_on(plan, drafts)
    await _store(request, auth, batch, plan)
    await store.audit(
        auth.tenant.id, "resync.planned", actor=auth.account_id, batch_id=batch.id, detail=plan.counts()
    )
    return ok(await _view(request, auth, batch, plan), status=201)


@api_endpoint
async def get_plan(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    return ok(await _view(request, auth, batch, await stored_plan(request, auth, batch)))


@api_endpoint
async def settle_conflicts(request: Request, auth: Auth) -> JSONResponse:
    """Body: `{"choices": {draft key: "keep-jira" | "take-spec" | "comment"}}`; a choice made before may
    be changed."""
    await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
    batch = _settleable(await project_batch(request, auth))
    choices = (await json_body(request)).get("choices")
    if not isinstance(choices, dict) or not choices:
        raise ApiError(
            422, "invalid_choices",
            'Send {"choices": {"<draft key>": "keep-jira" | "take-spec" | "comment"}} for the issues in conflict.',
        )  # fmt: skip
    plan = await stored_plan(request, auth, batch)
    conflicts = {c.change.draft_key: c.change for c in conflicts_as_made(plan)}
    for key, choice in choices.items():
        change = conflicts.get(key)
        if change is None:
            raise ApiError(
                422, "not_in_conflict",
                f"“{key}” is not an issue in conflict in this re-sync plan; only issues a person edited in Jira "
                "since export need a choice.",
            )  # fmt: skip
        if choice not in CHOICES:
            raise ApiError(
                422, "invalid_choice",
                f"The choice for {change.issue_key} “{change.summary}” must be one of: {', '.join(CHOICES)}.",
            )  # fmt: skip
    try:
        settled = settle(plan, choices)
    except UnknownChoice as exc:  # checked above: only a plan changed meanwhile gets here
        raise ApiError(422, "invalid_choice", f"{exc}.") from exc
    await _store(request, auth, batch, settled)
    await store_of(request).audit(
        auth.tenant.id, "resync.settled", actor=auth.account_id, batch_id=batch.id, detail=dict(choices)
    )
    return ok(await _view(request, auth, batch, settled))


async def stored_plan(request: Request, auth: Auth, batch: Batch) -> ResyncPlan:
    text = await store_of(request).resync_plan(auth.tenant.id, batch.id)
    if not text:
        raise ApiError(
            404, "no_resync_plan",
            "This batch has no re-sync plan yet: choose Re-sync in the warning about drafts already in Jira.",
        )  # fmt: skip
    return ResyncPlan.from_json(text)


async def headline(request: Request, auth: Auth, batch: Batch) -> str | None:
    """What a re-sync batch's stored plan changes, in a line, for whoever decides on it in the panel."""
    counts = await plan_counts(store_of(request), batch)
    return headline_of(counts) if counts else None


async def check_submission(request: Request, auth: Auth, batch: Batch) -> None:
    """A submission with `"existing": "resync"` applies the stored plan: it must be the one reviewed."""
    text = await store_of(request).resync_plan(auth.tenant.id, batch.id)
    drafts = await store_of(request).load_drafts(auth.tenant.id, batch.id)
    refusal = submit_refusal(ResyncPlan.from_json(text) if text else None, drafts)
    if refusal:
        raise ApiError(409, "resync_not_ready", refusal)


def submit_refusal(plan: ResyncPlan | None, drafts: Sequence[Draft]) -> str | None:
    """Why the batch cannot be submitted as a re-sync (None: it can)."""
    if plan is None:
        return "This batch has no re-sync plan yet: choose Re-sync and review the plan before submitting it."
    if not is_current(plan, drafts):
        return "The drafts changed since the re-sync plan was made: review it again before submitting."
    if plan.conflicts:
        names = ", ".join(f"{c.change.issue_key} “{c.change.summary}”" for c in plan.conflicts)
        return (
            f"{len(plan.conflicts)} of the issues edited in Jira since export still need a choice ({names}): "
            "keep Jira's text, take the spec, or add the spec's changes as a comment."
        )
    return None


def _settleable(batch: Batch) -> Batch:
    if batch.status not in SETTLEABLE:
        raise ApiError(
            409, "not_settleable",
            "The re-sync plan can only be made or changed while the batch is drafted (or rejected), not while "
            "it waits for approval or is being exported; withdraw the request first.",
        )  # fmt: skip
    return batch


async def _store(request: Request, auth: Auth, batch: Batch, plan: ResyncPlan) -> None:
    done = await store_of(request).set_resync_plan(
        auth.tenant.id, batch.id, plan.to_json(), expect=SETTLEABLE
    )
    if not done:  # submitted (or deleted) meanwhile
        _settleable(await project_batch(request, auth))
        raise ApiError(409, "conflict", "The batch changed meanwhile; reload the page.")


async def _view(request: Request, auth: Auth, batch: Batch, plan: ResyncPlan) -> dict[str, Any]:
    """The plan as the panel shows it: the plan itself, every conflict as made with its choice so far, the
    Jira address of every issue it names and the summary of every draft its links name."""
    from app.api.exports import jira_browse_base

    browse = jira_browse_base(auth)
    drafts = await store_of(request).load_drafts(auth.tenant.id, batch.id)
    names = {r.draft_key: r.summary for r in plan.removed} | {d.key: d.summary for d in drafts}
    data = plan.to_dict()
    picked = chosen(plan)
    data["conflicts"] = [
        {**asdict(c), "choice": picked.get(c.change.draft_key)} for c in conflicts_as_made(plan)
    ]
    data.pop("meta", None)
    return {
        "plan": data,
        "headline": plan.headline(),
        "counts": {**plan.counts(), "links": len(plan.links_add) + len(plan.links_remove),
                   "conflicts_open": len(plan.conflicts), "conflicts": len(data["conflicts"])},
        "choices": [{"value": v, "label": CHOICE_LABELS[v]} for v in CHOICES],
        "urls": {key: browse + key for key in _issue_keys(plan)},
        "names": names,
        "revision": batch.revision,  # the batch's as this view was read: a newer one asks the panel to reload
        "stale": not is_current(plan, drafts),
        "settled": not plan.conflicts,
        "status": batch.status,
    }  # fmt: skip


def _issue_keys(plan: ResyncPlan) -> list[str]:
    keys = [c.issue_key for c in plan.changed] + [c.change.issue_key for c in conflicts_as_made(plan)]
    keys += [r.issue_key for r in plan.removed]
    for link in (*plan.links_add, *plan.links_remove, *(x for n in plan.new for x in n.links)):
        keys += [link.blocker_issue, link.blocked_issue]
    return [k for k in dict.fromkeys(keys) if k]
