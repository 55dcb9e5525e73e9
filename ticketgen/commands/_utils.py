"""What the commands share: where their output goes, written whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ticketgen.commands.check import UsageProblem


def check_out(out: str) -> Path | None:
    if out == "-":
        return None
    path = Path(out)
    if path.is_dir():
        raise UsageProblem(f"--out {out} is a folder; give a file name")
    if not path.parent.is_dir():
        raise UsageProblem(f"--out {out}: no such folder {path.parent}")
    return path


def write_output(out: Path | None, text: str) -> None:
    """Whole or nothing: a temporary file beside the target, renamed over it."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        os.chmod(tmp, out.stat().st_mode & 0o777 if out.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
