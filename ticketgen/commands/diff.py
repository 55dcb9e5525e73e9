"""`ticketgen diff OLD_DIR NEW_DIR [--format md|json] [--out PATH]`: the re-sync plan between two versions
of a spec, with no Jira involved (OLD's drafts count as exported and unedited).

Exit status: 0 plan printed, 1 a spec has errors (the findings are printed), 2 usage problems (no such
folder, no CSV files, an unusable --out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ticketgen.commands._utils import check_out, write_output
from ticketgen.commands.check import UsageProblem, load_spec, to_text

FORMATS = ("md", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD_DIR", help="folder of the spec as exported")
    parser.add_argument("new", metavar="NEW_DIR", help="folder of the revised spec")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--out", metavar="PATH", default="-", help="output file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageProblem as exc:
        print(f"ticketgen diff: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ticketgen.resync.between import plan_between

    out = check_out(args.out)
    specs = []
    for label, folder in (("OLD_DIR", args.old), ("NEW_DIR", args.new)):
        try:
            spec = load_spec(folder)
        except UsageProblem as exc:
            raise UsageProblem(f"{label}: {exc}") from None
        if spec.has_errors:
            sys.stderr.write(to_text(spec))
            print(
                f"ticketgen diff: refused: {label} {folder} has {len(spec.errors)} error(s); "
                "fix them and run again.",
                file=sys.stderr,
            )
            return 1
        specs.append(spec)
    meta = {"old": Path(args.old).name or args.old, "new": Path(args.new).name or args.new}
    plan = plan_between(specs[0], specs[1], meta=meta)
    output = plan.to_markdown() if args.format == "md" else plan.to_json()
    try:
        write_output(out, output)
    except OSError as exc:
        raise UsageProblem(f"cannot write {args.out}: {exc.strerror or exc}") from None
    counts = plan.counts()
    summary = f"{plan.headline()}; {counts['links_add']} links to add, {counts['links_remove']} to remove"
    summary += f"; {counts['unchanged']} unchanged"
    print(summary + (f"; wrote {out}" if out else ""), file=sys.stderr)
    return 0
