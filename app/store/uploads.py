"""An upload is stored in one transaction: the batch, its files, their check and the audit event together.

Stored step by step, a web process killed between the steps (kill -9, out of memory, a deploy) left a batch
that never got its files or its check, stuck in `uploaded` with nothing on the page to do about it. Now the
files are checked first (no I/O) and a crash at any point leaves either the whole batch or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from ticketgen.spec.model import Spec
from ticketgen.spec.summary import CheckSummary

from ._utils import distinct_names
from .audit import audit_event
from .files import FilesMixin
from .records import Batch
from .status import BatchStatus


class UploadsMixin(FilesMixin):
    async def create_checked_batch(
        self, tenant_id: str, *, project_key: str, project_id: str, name: str, created_by: str | None = None,
        files: Sequence[tuple[str, bytes]], spec: Spec | CheckSummary, project_type: str | None = None,
    ) -> Batch:  # fmt: skip
        """`spec` is `files` as the check read them; the batch starts validated or invalid."""
        distinct_names(files)
        status = BatchStatus.INVALID if spec.has_errors else BatchStatus.VALIDATED
        async with self._tx() as s:
            row = await self._add_batch(
                s, tenant_id, project_key=project_key, project_id=project_id, name=name, created_by=created_by,
                status=status, project_type=project_type,
            )  # fmt: skip
            await self._insert_files(s, tenant_id, row.id, files, start=0)
            await self._record_validation(s, tenant_id, row.id, spec)
            created = audit_event(
                tenant_id,
                "batch.created",
                actor=created_by or "",
                batch_id=row.id,
                detail={"files": len(files)},
            )
            s.add(created)
        return self._batch(row)
