"""Multipart upload of spec files with the SPEC §3 limits enforced while the body streams in.

A request over a limit is stopped at the first byte past it (nothing is buffered beyond the limit and
nothing is stored), and the error names the file and the limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from app.api.file_names import part_file_name
from app.connect.errors import ApiError
from ticketgen.spec.limits import MAX_BATCH_BYTES, MAX_FILE_BYTES, MAX_FILES

MAX_FIELD_BYTES = 4096
_MB = 1024 * 1024
_MULTIPART_OVERHEAD = 64 * 1024 + MAX_FILES * 1024
MAX_UPLOAD_BYTES = MAX_BATCH_BYTES + _MULTIPART_OVERHEAD  # the whole request, boundaries and fields included


@dataclass
class Upload:
    files: list[tuple[str, bytes]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


def _too_large(code: str, message: str) -> ApiError:
    return ApiError(413, code, message)


class _Collector:
    def __init__(self) -> None:
        self.upload = Upload()
        self.part = _Part()
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.total = 0

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        name = self.header_field.decode("latin-1").strip().lower()
        # Latin-1 keeps each byte as one character: the file name's UTF-8 is decoded once it is parsed.
        self.part.headers[name] = self.header_value.decode("latin-1")
        self.header_field.clear()
        self.header_value.clear()

    def on_headers_finished(self) -> None:
        disposition = self.part.headers.get("content-disposition", "")
        _, options = parse_options_header(disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.part.filename = part_file_name(disposition)
        if self.part.filename is not None and len(self.upload.files) >= MAX_FILES:
            raise ApiError(
                422, "too_many_files", f"A batch takes at most {MAX_FILES} files; upload the rest separately."
            )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        part = self.part
        if part.filename is not None:
            if len(part.data) + size > MAX_FILE_BYTES:
                raise _too_large(
                    "file_too_large",
                    f"{part.filename} is larger than {MAX_FILE_BYTES // _MB} MB, the limit for one file; "
                    "split it into several files of the same kind.",
                )
            self.total += size
            if self.total > MAX_BATCH_BYTES:
                raise _too_large(
                    "batch_too_large",
                    f"The files add up to more than {MAX_BATCH_BYTES // _MB} MB, the limit for a batch.",
                )
        elif len(part.data) + size > MAX_FIELD_BYTES:
            raise _too_large("field_too_large", f"The form field {part.name!r} is too long.")
        part.data += data[start:end]

    def on_part_end(self) -> None:
        part = self.part
        if part.filename is not None:
            if any(name == part.filename for name, _ in self.upload.files):
                raise ApiError(422, "duplicate_file", f"{part.filename} was uploaded twice; keep one copy.")
            self.upload.files.append((part.filename, bytes(part.data)))
        elif part.name:
            value = part.data.decode("utf-8", "replace").strip()
            if "\x00" in value + part.name:
                raise ApiError(
                    422, "invalid_text", f"The form field {part.name!r} contains a NUL character; remove it."
                )
            self.upload.fields[part.name] = value


async def read_upload(request: Request) -> Upload:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ApiError(422, "not_multipart", "Upload the files as multipart/form-data (field name: files).")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise _too_large(
            "batch_too_large",
            f"The files add up to more than {MAX_BATCH_BYTES // _MB} MB, the limit for a batch.",
        )
    collector = _Collector()
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin", "on_header_field", "on_header_value", "on_header_end", "on_headers_finished",
            "on_part_data", "on_part_end",
        )
    }  # fmt: skip
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    async for chunk in request.stream():
        parser.write(chunk)
    parser.finalize()
    if not collector.upload.files:
        raise ApiError(422, "no_files", "Choose at least one CSV file to upload.")
    return collector.upload
