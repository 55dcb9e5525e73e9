"""In-process time to plan the UWEC drafts and write their copy with the template writer, and the whole
offline path a user waits for: check, Drupal-aware review and draft together (target < 300 ms, issue 10).

    .venv/bin/python bench/bench_draft.py [--runs N]

`check_review_draft_uwec` repeats the same spec in one process, so the value caches (note clauses, words,
suggestions) are warm from the second run on; `_cold` empties them before each run, as every upload's
isolated child (jobs/isolated.py) finds them, with only the static data its forkserver preloaded (issue 10's
target applies to both).
The spec is checked once, outside the timing (bench_check.py times that); each run plans every draft
(tables, facts, dependencies, export order) and writes story and criteria for all of them. The 8x line
uses bench_check's multiplied set to show how planning scales with rows.
"""

from __future__ import annotations

import asyncio

from _utils import forget_remembered_values, median_ms, parse_runs, uwec_files
from bench_check import SCALE, multiply

from ticketgen.planner import coverage, plan
from ticketgen.spec import load
from ticketgen.spec.model import Spec
from ticketgen.writers.template import TemplateWriter

TARGET_MS = 300.0


def draft(spec: Spec) -> None:
    asyncio.run(TemplateWriter().write(plan(spec).drafts))


def check_review_draft(files: list[tuple[str, bytes]]) -> None:
    draft(load(files))  # load() runs the spec engine and the review; plan() attaches the questions


def main() -> None:
    runs = parse_runs(__doc__)
    files = uwec_files()
    spec = load(files)
    assert not spec.has_errors
    planned = plan(spec)
    covered = coverage(spec, planned)
    assert covered.fraction == 1.0, covered.missing[:5]
    counts = ", ".join(f"{kind} {n}" for kind, n in planned.counts().items())
    # The UWEC timings come before the 8x set is loaded: its objects would otherwise sit in memory and
    # lengthen every garbage collection of runs that never touch them.
    ms = median_ms(lambda: draft(spec), runs)
    whole = median_ms(lambda: check_review_draft(files), runs)
    cold = median_ms(lambda: (forget_remembered_values(), check_review_draft(files)), runs)
    big = load(multiply(files, SCALE))
    assert not big.has_errors
    big_ms = median_ms(lambda: draft(big), max(runs // 4, 3))
    print(f"UWEC: {len(planned.drafts)} drafts ({counts}), {len(planned.edges())} dependencies, "
          f"coverage {covered.fraction:.0%} of {covered.cells} cells; {SCALE}x: {len(plan(big).drafts)} drafts")  # fmt: skip
    print(f"target: under {TARGET_MS:.0f} ms (issue 10)")
    print(f"BENCH draft_uwec {ms:.1f} ms")
    print(f"BENCH check_review_draft_uwec {whole:.1f} ms")
    print(f"BENCH check_review_draft_uwec_cold {cold:.1f} ms")
    print(f"BENCH draft_uwec_{SCALE}x {big_ms:.1f} ms")


if __name__ == "__main__":
    main()
