"""What the bench scripts share: where the UWEC set lives, the `--runs` option, and how a run is timed."""

from __future__ import annotations

import argparse
import statistics
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


def median_ms(run: Callable[[], object], runs: int) -> float:
    """One untimed call first, so imports and regex compilation do not land in the first sample."""
    run()
    times = []
    for _ in range(runs):
        with Stopwatch() as watch:
            run()
        times.append(watch.seconds * 1000)
    return statistics.median(times)
