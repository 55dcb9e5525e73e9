"""Links of an export pass: the "Blocks" links not made at creation, in concurrent windows.

Jira reports a duplicate link as made, so a window cut short is simply made again by the next pass.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from app.jira import JiraError, RateLimited
from app.store import ExistingMode
from ticketgen.export import Target, dependency_pairs

if TYPE_CHECKING:
    from jobs.exporter import Exporter, Outcome

LINK_WINDOW = 40  # links per round between progress writes (a stop is looked at before each request)


async def create_links(
    exporter: Exporter, target: Target, created: dict[str, tuple[str, str]], outcome: Outcome
) -> None:
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    # Issues kept as an earlier batch left them ("only new") keep the links that batch made between them. A
    # re-sync recorded those links as made already, and draws the ones its spec adds between kept issues.
    resync = exporter.batch.existing_issues == ExistingMode.RESYNC
    kept = {k for k, state in exporter.existing.items() if state == "kept" and not resync}
    pairs = [(b, k) for b, k in dependency_pairs(exporter.drafts) if not (b in kept and k in kept)]
    outcome.links_total = len(pairs)
    known = await store.list_export_links(tenant_id, batch_id)
    done = {p for p, link in known.items() if link.state == "created"}
    missing = [(b, k) for b, k in pairs if (b, k) not in done and not (b in created and k in created)]
    for blocker, blocked in missing:
        absent = blocker if blocker not in created else blocked
        outcome.link_failures.append((blocker, blocked, f"{absent} was not created"))
    todo = [(b, k) for b, k in pairs if (b, k) not in done and b in created and k in created]
    outcome.links = len(done & set(pairs))
    for start in range(0, len(todo), LINK_WINDOW):
        window = todo[start : start + LINK_WINDOW]
        await exporter.progress(phase="linking", message=f"Linking issues ({outcome.links} of {len(pairs)})")
        made, refused, stop = await asyncio.to_thread(_link_window, exporter, target, created, window)
        if made:
            await store.mark_links(tenant_id, batch_id, made, state="created")
            outcome.links += len(made)
            exporter.made_progress = True
        for (blocker, blocked), reason in refused:
            await store.mark_links(tenant_id, batch_id, [(blocker, blocked)], state="failed", error=reason)
            outcome.link_failures.append((blocker, blocked, reason))
        if stop is not None:
            raise stop
        await exporter.stop_point()  # a stop seen inside the window ends the pass now


def _link_window(
    exporter: Exporter, target: Target, created: dict[str, tuple[str, str]], window: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[tuple[str, str], str]], JiraError | None]:
    """Concurrent link requests; after a rate limit or temporary error no new request is started."""
    made: list[tuple[str, str]] = []
    refused: list[tuple[tuple[str, str], str]] = []
    stops: list[JiraError] = []

    def one(pair: tuple[str, str]) -> None:
        if stops or exporter.stop_asked():
            return
        blocker, blocked = pair
        try:  # for "Blocks", the inward issue of the request is the blocking one
            exporter.gate.call(
                lambda: exporter.jira.create_link(
                    link_type=target.link_type,
                    inward_key=created[blocker][0],
                    outward_key=created[blocked][0],
                )
            )
        except JiraError as exc:
            if exc.retryable:
                stops.append(exc)
            else:
                refused.append((pair, exc.message))
            return
        made.append(pair)

    with ThreadPoolExecutor(
        max_workers=exporter.settings.concurrency, thread_name_prefix="jira-link"
    ) as pool:
        list(pool.map(one, window))
    rate_limits = [e for e in stops if isinstance(e, RateLimited)]
    return made, refused, (rate_limits or stops or [None])[0]
