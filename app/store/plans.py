"""A batch's plan (who builds what, the sprint) and the per-draft category and estimate edits that go with it.

Editing the plan is an edit of the batch, like editing a draft: it counts as a new revision, so an approval
given before it no longer holds (the export only sends what was approved).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import select, update

from ticketgen.drafts.model import CATEGORIES
from ticketgen.export.assignment import BatchPlan, PlanError, estimate_for_points

from ._utils import utcnow
from .dependencies import DependenciesMixin
from .errors import InvalidValue
from .models import BatchRow, DraftRow


class PlansMixin(DependenciesMixin):
    async def get_plan(self, tenant_id: str, batch_id: str) -> BatchPlan | None:
        """None: no such batch; an empty plan when nothing is planned yet."""
        async with self._tx() as s:
            row = await self._batch_row(s, tenant_id, batch_id)
            return None if row is None else BatchPlan.from_json(row.plan)

    async def update_plan(
        self, tenant_id: str, batch_id: str, changes: Mapping[str, Any], *, categories: Mapping[str, Any],
        points: Mapping[str, Any], by: str | None = None,
    ) -> BatchPlan | None:  # fmt: skip
        """`changes`: see `BatchPlan.changed`; `categories` / `points`: draft key → its new category / story
        points. All or nothing: InvalidValue names the first value refused."""
        async with self._tx() as s:
            if not await self._lock_editable(s, tenant_id, batch_id):
                return None
            row = await self._batch_row(s, tenant_id, batch_id)
            assert row is not None
            keys = set(
                (
                    await s.execute(select(DraftRow.key).filter_by(tenant_id=tenant_id, batch_id=batch_id))
                ).scalars()
            )
            try:
                plan = BatchPlan.from_json(row.plan).changed(changes, known_drafts=keys)
                values = _draft_values(keys, categories, points)
            except PlanError as exc:
                raise InvalidValue(str(exc)) from None
            now = utcnow()
            for key, value in values.items():
                await s.execute(
                    update(DraftRow)
                    .where(
                        DraftRow.tenant_id == tenant_id, DraftRow.batch_id == batch_id, DraftRow.key == key
                    )
                    .values(**value, updated_at=now, updated_by=by)
                )
            await s.execute(
                update(BatchRow)
                .where(BatchRow.tenant_id == tenant_id, BatchRow.id == batch_id)
                .values(plan=plan.to_json())
            )
            await self._bump_revision(s, tenant_id, batch_id)
            return plan


def _draft_values(
    keys: set[str], categories: Mapping[str, Any], points: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for key, category in categories.items():
        if key not in keys:
            raise PlanError(f'"categories" names the draft {key!r}, which is not in this batch')
        if category not in CATEGORIES:
            raise PlanError(
                f'"categories"["{key}"] must be one of {", ".join(CATEGORIES)}, not {category!r:.40}'
            )
        values.setdefault(key, {})["category"] = category
    for key, value in points.items():
        if key not in keys:
            raise PlanError(f'"points" names the draft {key!r}, which is not in this batch')
        values.setdefault(key, {})["estimate"] = asdict(estimate_for_points(value, f'"points"["{key}"]'))
    return values
