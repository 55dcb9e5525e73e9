"""In-process time to plan a re-sync of the revised UWEC (tests/resync/revise.py: a field added, a widget
changed, a view display removed, a new content type, a bundle switched to x, an image style corrected)
against the issues UWEC exported, with Jira's state for each (target < 500 ms, issue 15).

    .venv/bin/python bench/bench_resync_plan.py [--runs N]

`resync_plan` is what a re-sync computes once the revised spec is loaded: its drafts (planner and template
copy), every description's sections and hashes, the section, row and cell diff against the export
records, links, conflicts (one issue edited in Jira) and Done handling (one issue Done). Loading and
reviewing the spec is timed by bench_check.py and bench_draft.py. `resync_diff` is the diff alone, from
drafts already planned.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._utils import UWEC, median_ms, parse_runs
from tests.resync.revise import revise_uwec
from ticketgen.resync import IssueState, plan_resync
from ticketgen.resync.between import records_of, template_drafts
from ticketgen.resync.spec_rows import locate
from ticketgen.spec import load_dir

TARGET_MS = 500.0


def main() -> None:
    runs = parse_runs(__doc__)
    old = load_dir(UWEC)
    records = records_of(old, template_drafts(old))
    jira = {key: IssueState(hashes=record.hashes()) for key, record in records.items()}
    jira["fields:node.college"] = IssueState(hashes={**records["fields:node.college"].hashes(), "story": ""})
    jira["fields:node.academic_program"] = IssueState(done=True)
    with tempfile.TemporaryDirectory(prefix="bench-resync-") as tmp:
        new = load_dir(revise_uwec(Path(tmp) / "revised"))
    assert not new.has_errors
    drafts = template_drafts(new)
    gone = {k: r.row for k, r in records.items() if r.row is not None}

    def resync() -> object:
        revised = template_drafts(new)
        return plan_resync(records, revised, jira=jira, rows_now=locate(new, gone))

    def diff_only() -> object:
        return plan_resync(records, drafts, jira=jira, rows_now=locate(new, gone))

    plan = plan_resync(records, drafts, jira=jira, rows_now=locate(new, gone))
    counts = ", ".join(f"{name} {value}" for name, value in plan.counts().items())
    ms = median_ms(resync, runs)
    diff_ms = median_ms(diff_only, runs)
    print(f"UWEC: {len(records)} exported issues, revised spec {len(drafts)} drafts; plan: {counts}")
    print(f"target: under {TARGET_MS:.0f} ms (issue 15)")
    print(f"BENCH resync_plan {ms:.1f} ms")
    print(f"BENCH resync_diff {diff_ms:.1f} ms")


if __name__ == "__main__":
    main()
