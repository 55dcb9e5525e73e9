"""Which drafts go into which bulk request, and which Blocks links exist at all."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ticketgen.drafts.model import Draft

BULK_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Chunk:
    """One bulk request: draft keys in export order, and per key the blocker draft keys whose issues
    exist before this request is sent (so the links can be set at creation)."""

    keys: tuple[str, ...]
    blockers: dict[str, tuple[str, ...]] = field(default_factory=dict)


def dependency_pairs(drafts: Sequence[Draft]) -> list[tuple[str, str]]:
    """(blocker key, blocked key) for every dependency between the given drafts, in export order."""
    present = {d.key for d in drafts}
    pairs = [(blocker, d.key) for d in drafts for blocker in d.depends_on if blocker in present]
    return list(dict.fromkeys(pairs))


def plan_chunks(
    drafts: Sequence[Draft],
    *,
    pending: Collection[str],
    created: Collection[str] = (),
    links_at_creation: bool = False,
    limit: int = BULK_LIMIT,
) -> list[Chunk]:
    """Chunks of at most `limit` pending drafts in export order.

    With links at creation, a chunk is cut before a draft whose blocker is in the same chunk: every
    blocker is then either already `created` or in an earlier chunk. A blocker that comes later in the
    order (or is neither pending nor created) is not linked at creation; its link is made afterwards.
    """
    if not 0 < limit <= BULK_LIMIT:
        raise ValueError(f"a bulk request takes 1..{BULK_LIMIT} issues, not {limit}")
    pending_set = set(pending)
    earlier: set[str] = set(created)
    chunks: list[Chunk] = []
    keys: list[str] = []
    blockers: dict[str, tuple[str, ...]] = {}

    def close() -> None:
        if keys:
            chunks.append(Chunk(tuple(keys), dict(blockers)))
            earlier.update(keys)
            keys.clear()
            blockers.clear()

    for draft in drafts:
        if draft.key not in pending_set:
            continue
        if links_at_creation and any(b in keys for b in draft.depends_on):
            close()
        if len(keys) == limit:
            close()
        keys.append(draft.key)
        if links_at_creation:
            linked = tuple(b for b in dict.fromkeys(draft.depends_on) if b in earlier)
            if linked:
                blockers[draft.key] = linked
    close()
    return chunks
