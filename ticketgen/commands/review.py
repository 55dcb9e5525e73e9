"""`ticketgen review DIR [--format md|json] [--out FILE]`: the spec review's questions for the spec owner.

Exit status: 0 the report was written (questions are warnings, never a failure, and the review runs even
on a spec with errors), 2 usage problems (no such folder, no CSV files in it, an unusable --out).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ticketgen.commands._utils import check_out, write_output
from ticketgen.commands.check import UsageProblem, load_spec

FORMATS = ("md", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="folder holding the spec's CSV files")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--out", metavar="FILE", default="-", help="output file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageProblem as exc:
        print(f"ticketgen review: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ticketgen.planner import plan
    from ticketgen.review import Review
    from ticketgen.review.report import as_json, markdown

    out = check_out(args.out)
    spec = load_spec(args.dir)
    # the planner asks what only a whole plan shows (authors who could never save, notes nothing reads)
    found = Review(plan(spec).questions)
    if args.format == "json":
        output = json.dumps(as_json(found), indent=2, ensure_ascii=False) + "\n"
    else:
        output = markdown(found, title=f"Spec review: {Path(args.dir).resolve().name}")
    try:
        write_output(out, output)
    except OSError as exc:
        raise UsageProblem(f"cannot write {args.out}: {exc.strerror or exc}") from None
    line = f"{len(found.questions)} questions for the spec owner"
    if spec.has_errors:
        line += f"; the spec also has {len(spec.errors)} error(s) that block drafting (see `ticketgen check`)"
    print(line + (f"; wrote {out}" if out else ""), file=sys.stderr)
    return 0
