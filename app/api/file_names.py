"""An uploaded file's name exactly as the user named it.

Browsers send a multipart file name as raw UTF-8 bytes inside the quotes, with `"` written as `%22`
(WHATWG HTML, multipart/form-data encoding); other clients send RFC 5987's `filename*=UTF-8''…` (RFC 7578
discourages it, RFC 6266 says it wins over the plain form). The part's header must therefore be held as
its bytes (one Latin-1 character per byte) until the name is decoded here: decoding the header as text
first garbles accents and breaks on anything outside Latin-1.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import parse_options_header

from app.connect.errors import ApiError

MAX_NAME_CHARS = 200
_EXTENDED = re.compile(r";\s*filename\*\s*=\s*([^;]*)", re.IGNORECASE)
_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"')
_EXTENDED_CHARSETS = {"utf-8": "utf-8", "iso-8859-1": "latin-1"}
# Characters that make a name display as something it is not (U+202E turns "gsv.csv" around), and
# controls no file name has.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _refuse(shown: str, why: str) -> ApiError:
    return ApiError(422, "invalid_file_name", f"The file name {shown[:80]!r} {why}; rename the file.")


def part_file_name(disposition: str) -> str | None:
    """The file name of a part whose Content-Disposition is `disposition` (its bytes as Latin-1
    characters), or None for a plain form field. Raises ApiError (422) for a name that cannot be shown
    faithfully."""
    _, options = parse_options_header(disposition)
    # blank out quoted values (same length) so a plain name holding "filename*=" is not mistaken for one
    extended = _EXTENDED.search(_QUOTED.sub(lambda m: '"' + " " * (len(m[0]) - 2) + '"', disposition))
    if extended:
        value = disposition[extended.start(1) : extended.end(1)]
        return clean_filename(_decode_extended(value.strip().strip('"')))
    plain = options.get(b"filename")
    if plain is None:
        return None
    return clean_filename(_decode_plain(plain).replace("%22", '"'))


def _decode_extended(value: str) -> str:
    charset, quote1, rest = value.partition("'")
    _, quote2, encoded = rest.partition("'")
    if not (quote1 and quote2):
        raise _refuse(value, "is not written as charset''name (RFC 5987)")
    codec = _EXTENDED_CHARSETS.get(charset.strip().lower())
    if codec is None:
        raise _refuse(value, f"uses the character set {charset!r}; send it as UTF-8")
    try:
        return unquote_to_bytes(encoded.encode("latin-1")).decode(codec)
    except UnicodeDecodeError:
        raise _refuse(value, f"is not valid {charset}") from None


def _decode_plain(raw: bytes) -> str:
    """UTF-8 as browsers send it; an old client's Windows-1252, as the files' own text is read."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise _refuse(raw.decode("latin-1"), "is not valid UTF-8") from None


def clean_filename(raw: str) -> str:
    """The last path segment (old browsers send the whole path), composed (NFC: macOS hands browsers
    decomposed accents, which would make two names that look the same differ)."""
    name = unicodedata.normalize("NFC", posixpath.basename(raw.replace("\\", "/")).strip())
    if not name or name in (".", ".."):
        raise _refuse(raw, "has no name left once its folders are removed")
    if len(name) > MAX_NAME_CHARS:
        raise _refuse(raw, f"is longer than {MAX_NAME_CHARS} characters")
    control = next((c for c in name if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS), None)
    if control is not None:
        raise _refuse(raw, f"contains a control character (U+{ord(control):04X})")
    return name
