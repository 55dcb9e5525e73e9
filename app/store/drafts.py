"""Drafts in export order. User edits bump the batch revision and withdraw approval."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketgen.drafts.model import Draft
from ticketgen.export import export_order

from ._utils import check_names, find_path, utcnow
from .dependencies import DependenciesMixin, blocks_graph
from .errors import InvalidValue
from .files import WRITE_CHUNK
from .models import BatchRow, DependencyRow, DraftRow
from .records import StoredDraft, to_record

USER_FIELDS = frozenset({"summary", "user_story", "criteria", "notes", "labels"})
SUMMARY_MAX = 255  # Jira's limit


class DraftsMixin(DependenciesMixin):
    async def replace_drafts(self, tenant_id: str, batch_id: str, drafts: Sequence[Draft]) -> int | None:
        keys = [d.key for d in drafts]
        if dupes := sorted(k for k, c in Counter(keys).items() if c > 1):
            raise InvalidValue(f"duplicate draft keys: {', '.join(dupes)}")
        now = utcnow()
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id, lock=True) is None:
                return None
            scope = {"tenant_id": tenant_id, "batch_id": batch_id}
            manual = [d for d in await self._dependencies(s, tenant_id, batch_id) if d.manual]
            await s.execute(delete(DependencyRow).filter_by(**scope))
            await s.execute(delete(DraftRow).filter_by(**scope))
            for start in range(0, len(drafts), WRITE_CHUNK):
                await s.execute(
                    insert(DraftRow),
                    [{**scope, **_content(d), "key": d.key, "kind": d.kind, "position": start + i,
                      "included": True, "tables": [asdict(t) for t in d.tables],
                      "sources": [asdict(x) for x in d.sources], "updated_at": now, "updated_by": None}
                     for i, d in enumerate(drafts[start : start + WRITE_CHUNK])],
                )  # fmt: skip
            known = set(keys)
            edges = {(b, d.key) for d in drafts for b in d.depends_on if b in known and b != d.key}
            graph = blocks_graph(edges)
            rows = [{**scope, "blocker_key": b, "blocked_key": k, "manual": False} for b, k in sorted(edges)]
            for dep in manual:
                pair = (dep.blocker_key, dep.blocked_key)
                if (
                    set(pair) <= known
                    and pair not in edges
                    and not find_path(graph, dep.blocked_key, dep.blocker_key)
                ):
                    graph[dep.blocker_key].add(dep.blocked_key)
                    rows.append({**scope, "blocker_key": pair[0], "blocked_key": pair[1], "manual": True})
            if rows:
                await s.execute(insert(DependencyRow), rows)
            return await self._next_revision(s, tenant_id, batch_id)

    async def write_drafts(self, tenant_id: str, batch_id: str, drafts: Sequence[Draft]) -> int | None:
        now = utcnow()
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id, lock=True) is None:
                return None
            for d in drafts:
                await s.execute(
                    update(DraftRow)
                    .where(
                        DraftRow.tenant_id == tenant_id, DraftRow.batch_id == batch_id, DraftRow.key == d.key
                    )
                    .values(**_content(d), updated_at=now)
                )
            return await self._next_revision(s, tenant_id, batch_id)

    async def list_drafts(
        self,
        tenant_id: str,
        batch_id: str,
        *,
        included_only: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[StoredDraft]:
        stmt = select(DraftRow).where(DraftRow.tenant_id == tenant_id, DraftRow.batch_id == batch_id)
        if included_only:
            stmt = stmt.where(DraftRow.included.is_(True))
        stmt = stmt.order_by(DraftRow.position).offset(offset).limit(limit)
        async with self._tx() as s:
            rows = (await s.execute(stmt)).scalars().all()
            blockers = defaultdict(list)
            for dep in await self._dependencies(s, tenant_id, batch_id):
                blockers[dep.blocked_key].append(dep.blocker_key)
        return [to_record(StoredDraft, r, depends_on=tuple(blockers[r.key])) for r in rows]

    async def count_drafts(self, tenant_id: str, batch_id: str) -> int:
        stmt = select(func.count(DraftRow.key)).where(
            DraftRow.tenant_id == tenant_id, DraftRow.batch_id == batch_id
        )
        async with self._tx() as s:
            return int((await s.execute(stmt)).scalar_one())

    async def get_draft(self, tenant_id: str, batch_id: str, key: str) -> StoredDraft | None:
        return next((d for d in await self.list_drafts(tenant_id, batch_id) if d.key == key), None)

    async def load_drafts(self, tenant_id: str, batch_id: str) -> list[Draft]:
        """What the export creates: included drafts, dependencies among included drafts only, in export
        order: the planner's, except that a blocker added by hand comes before the draft it blocks."""
        stored = await self.list_drafts(tenant_id, batch_id, included_only=True)
        included = {d.key for d in stored}
        drafts = [d.to_draft() for d in stored]
        for d in drafts:
            d.depends_on = [k for k in d.depends_on if k in included]
        return export_order(drafts)

    async def update_draft(
        self, tenant_id: str, batch_id: str, key: str, *, by: str | None = None, **fields: Any
    ) -> StoredDraft | None:
        check_names("draft field", fields, USER_FIELDS)
        _check_user_fields(fields)
        return await self._edit_draft(tenant_id, batch_id, key, by, fields)

    async def set_included(
        self, tenant_id: str, batch_id: str, key: str, included: bool, *, by: str | None = None
    ) -> StoredDraft | None:
        return await self._edit_draft(tenant_id, batch_id, key, by, {"included": bool(included)})

    async def _edit_draft(
        self, tenant_id: str, batch_id: str, key: str, by: str | None, values: dict[str, Any]
    ) -> StoredDraft | None:
        async with self._tx() as s:
            if not await self._lock_editable(s, tenant_id, batch_id):
                return None
            result = await s.execute(
                update(DraftRow)
                .where(DraftRow.tenant_id == tenant_id, DraftRow.batch_id == batch_id, DraftRow.key == key)
                .values(**values, updated_at=utcnow(), updated_by=by)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return None  # nothing written: the revision bump below never happens
            await self._bump_revision(s, tenant_id, batch_id)
        return await self.get_draft(tenant_id, batch_id, key)

    async def _next_revision(self, s: AsyncSession, tenant_id: str, batch_id: str) -> int:
        await self._bump(s, tenant_id, batch_id, revision=BatchRow.revision + 1)
        return (await self._batch_row(s, tenant_id, batch_id)).revision  # type: ignore[union-attr]


def _content(d: Draft) -> dict[str, Any]:
    """What a planning or writing pass stores. Questions and build-and-verify facts are written on both
    passes: a writer keeps them (it may not drop a question), so the writer's copy is the one that ships."""
    return {
        "summary": d.summary, "user_story": d.user_story, "criteria": list(d.criteria), "notes": list(d.notes),
        "labels": list(d.labels), "writer": d.writer, "facts": dict(d.facts),
        "questions": [dict(q) for q in d.questions], "modules": list(d.modules), "admin_path": d.admin_path,
        "config": list(d.config), "verify": [dict(v) for v in d.verify], "category": d.category or None,
        "estimate": asdict(d.estimate) if d.estimate else None,
    }  # fmt: skip


def _check_user_fields(fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name in ("summary", "user_story"):
            if not isinstance(value, str):
                raise InvalidValue(f"{name} must be text")
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidValue(f"{name} must be a list of texts")
    summary = fields.get("summary")
    if summary is not None and not 0 < len(summary.strip()) <= SUMMARY_MAX:
        raise InvalidValue(f"summary must be 1–{SUMMARY_MAX} characters (it is {len(summary.strip())})")
