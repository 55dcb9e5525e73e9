"""What the bench scripts share: where the UWEC set lives, the `--runs` option, and how a run is timed."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
UWEC = ROOT / "examples" / "uwec"


def uwec_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(UWEC.glob("*.csv"))]


def parse_runs(doc: str, default: int = 21) -> int:
    parser = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=default)
    return parser.parse_args().runs


class Stopwatch:
    """`with Stopwatch() as watch:` times its block; awaits inside it count too."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.seconds = time.perf_counter() - self._started


def forget_remembered_values() -> None:
    """Empties ticketgen's bounded value caches (labels, words, notes, suggestions): the run after this pays
    for them as each upload's isolated child does. The unbounded ones (plugin catalogs, schemas, the English
    word list) stay: the forkserver those children are forked from loads them once (jobs/preload.py)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("ticketgen"):
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", "") == name and info().maxsize is not None:
                value.cache_clear()


def median_ms(run: Callable[[], object], runs: int) -> float:
    """One untimed call first, so imports and regex compilation do not land in the first sample."""
    run()
    times = []
    for _ in range(runs):
        with Stopwatch() as watch:
            run()
        times.append(watch.seconds * 1000)
    return statistics.median(times)


def junk_rows_csv(size: int = 2 * 1024 * 1024) -> bytes:
    """A fields sheet whose every row is junk: several findings a row, the worst case for the check."""
    header = (UWEC / "UWEC_Fields.csv").read_bytes().split(b"\n", 1)[0] + b"\n"
    out = [header]
    total, i = len(header), 0
    while total < size - 200:
        line = f"{i},??,j{i},BAD NAME {i},q,zz,,,,Nope {i},??,maybe,0,Nope,q,,,Not A Bundle {i}\n".encode()
        out.append(line)
        total += len(line)
        i += 1
    return b"".join(out)


def bundle_rows_csv(size: int = 2 * 1024 * 1024) -> bytes:
    """A bundles sheet of valid, distinct content types: the worst case for planning (drafts per row)."""
    header = (UWEC / "UWEC_Bundles.csv").read_bytes().split(b"\n", 1)[0] + b"\n"
    out = [header]
    total, i = len(header), 0
    while total < size - 200:
        line = f",Page type {i},page_type_{i},a,,,Pages of kind {i}.,y,y,,n,n,n,y,Content type,kind-{i}/[node:title],\n"
        out.append(line.encode())
        total += len(out[-1])
        i += 1
    return b"".join(out)
