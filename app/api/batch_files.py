"""A batch's files after its upload: a corrected file replaces the one of the same name (it is never ignored),
files are added or removed, and the batch itself can be deleted, each while its status allows it.

Every change checks the files again and discards the drafts made from the old files; the answer says what
was replaced (with both sizes), what the check found and how many drafts went, so nothing changes unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app import pipeline
from app.api._utils import batch_json, file_json, ok, project_batch, store_of
from app.api.batch_locks import KEPT_AS_RECORD, delete_locked, files_locked
from app.api.uploads import read_upload
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError
from app.store import Batch, StoredFile
from app.store.records import FileChange
from app.store.status import DELETABLE
from ticketgen.spec.limits import MAX_BATCH_BYTES, MAX_FILES

_MB = 1024 * 1024


def _files_open(batch: Batch) -> None:
    reason = files_locked(batch.status)
    if reason is not None:
        raise ApiError(409, "files_locked", f"The files of this batch cannot change: {reason}.")


def _within_limits(files: list[tuple[str, bytes]]) -> None:
    """The batch as it would be, against the upload's limits (one file's size is checked as it streams)."""
    if len(files) > MAX_FILES:
        raise ApiError(
            422, "too_many_files", f"A batch takes at most {MAX_FILES} files; this would make {len(files)}."
        )
    if sum(len(content) for _, content in files) > MAX_BATCH_BYTES:
        raise ApiError(
            413, "batch_too_large", f"The files would add up to more than {MAX_BATCH_BYTES // _MB} MB."
        )
    if not files:
        raise ApiError(422, "last_file", "A batch needs at least one file; delete the batch instead.")


def _position(raw: str | None, count: int) -> int | None:
    """Past the end means at the end: an Undo still works after other files went meanwhile."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ApiError(422, "invalid_field", "'position' must be a whole number (0 puts the files first).")
    return min(int(raw), count)


async def _change(
    request: Request, auth: Auth, batch: Batch, stored: list[StoredFile], *,
    put: Sequence[tuple[str, bytes]] = (), remove: Sequence[str] = (), types: dict[str, str | None] | None = None,
    position: int | None = None,
) -> JSONResponse:  # fmt: skip
    """Check the files as they will be, then store them if they are still as read (else 409: try again)."""
    incoming = dict(put)
    kept = [(f.name, incoming.pop(f.name, f.content or b"")) for f in stored if f.name not in remove]
    at = len(kept) if position is None else position
    resulting = kept[:at] + list(incoming.items()) + kept[at:]
    _within_limits(resulting)
    chosen = {f.name: f.override_type for f in stored if f.name not in remove} | (types or {})
    overrides = {name: kind for name, kind in chosen.items() if kind}
    spec = await pipeline.check_files(auth.tenant, resulting, overrides)
    store = store_of(request)
    change = await store.change_files(
        auth.tenant.id, batch.id, seen=[(f.name, f.size, f.override_type) for f in stored], put=put,
        remove=remove, types=types, spec=spec, actor=auth.account_id, position=position,
    )  # fmt: skip
    if change is None:
        raise ApiError(404, "batch_not_found", "This batch does not exist in this project.")
    files = await store.list_files(auth.tenant.id, batch.id)
    return ok(_change_json(change, files))


def _change_json(change: FileChange, files: list[StoredFile]) -> dict[str, Any]:
    return {
        "batch": batch_json(change.batch),
        "files": [file_json(f) for f in files],
        "replaced": [
            {"name": r.name, "old_size": r.old_size, "new_size": r.new_size} for r in change.replaced
        ],
        "added": list(change.added),
        "removed": list(change.removed),
        "drafts_discarded": change.drafts_discarded,
        "check": {
            "status": change.batch.status,
            "errors": sum(f.error_count for f in files),
            "warnings": sum(f.warning_count for f in files),
        },
    }


@api_endpoint
async def put_files(request: Request, auth: Auth) -> JSONResponse:
    """Add files; a file named like one already in the batch replaces it (the type chosen for it stays).
    Form field `position` (optional): where the added files go, e.g. to put back a removed file."""
    batch = await project_batch(request, auth)
    _files_open(batch)  # before reading a body that could never be used
    upload = await read_upload(request)
    stored = await store_of(request).list_files(auth.tenant.id, batch.id, with_content=True)
    position = _position(upload.fields.get("position"), len(stored))
    return await _change(request, auth, batch, stored, put=upload.files, remove=[], position=position)


async def set_type(request: Request, auth: Auth, name: str, wanted: str | None) -> JSONResponse:
    """The type the user chose for a file (None: the detected one), applied like any change of the files:
    checked first, stored with its check, the drafts read with the old type discarded."""
    batch = await project_batch(request, auth)
    _files_open(batch)
    stored = await store_of(request).list_files(auth.tenant.id, batch.id, with_content=True)
    if all(f.name != name for f in stored):
        raise ApiError(404, "file_not_found", f"The batch has no file named {name}.")
    return await _change(request, auth, batch, stored, types={name: wanted})


@api_endpoint
async def file_content(request: Request, auth: Auth) -> Response:
    """The file as uploaded, byte for byte: what the panel's Undo puts back after a removal."""
    batch = await project_batch(request, auth)
    name = request.path_params["file_name"]
    stored = await store_of(request).list_files(auth.tenant.id, batch.id, with_content=True)
    found = next((f for f in stored if f.name == name), None)
    if found is None:
        raise ApiError(404, "file_not_found", f"The batch has no file named {name}.")
    return Response(
        found.content or b"",
        media_type="text/csv",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"},
    )


@api_endpoint
async def remove_file(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    _files_open(batch)
    name = request.path_params["file_name"]
    stored = await store_of(request).list_files(auth.tenant.id, batch.id, with_content=True)
    if all(f.name != name for f in stored):
        raise ApiError(404, "file_not_found", f"The batch has no file named {name}.")
    return await _change(request, auth, batch, stored, put=[], remove=[name])


@api_endpoint
async def delete_batch(request: Request, auth: Auth) -> JSONResponse:
    """Deletes the batch with its files, findings and drafts; the audit log keeps who did it and what went."""
    batch = await project_batch(request, auth)
    reason = delete_locked(batch.status)
    if reason is not None:
        raise ApiError(409, "batch_kept", f"This batch cannot be deleted: {reason}.")
    store = store_of(request)
    if not await store.delete_checked_batch(
        auth.tenant.id, batch.id, expect=DELETABLE, actor=auth.account_id
    ):
        if await store.get_batch(auth.tenant.id, batch.id) is None:
            raise ApiError(404, "batch_not_found", "This batch does not exist in this project.")
        if await store.has_export_records(auth.tenant.id, batch.id):
            raise ApiError(409, "batch_kept", f"This batch cannot be deleted: {KEPT_AS_RECORD}.")
        raise ApiError(409, "conflict", "The batch changed while it was being deleted; look again and retry.")
    return ok({"deleted": batch.id, "name": batch.name})
