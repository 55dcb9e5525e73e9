"""`ticketgen check DIR [--format text|json]`: validate a folder of spec CSVs.

Exit status: 0 no errors, 1 errors, 2 usage problems (no such folder, no CSV files in it)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ticketgen.spec.model import Finding, Spec


class UsageProblem(Exception):
    """Exit 2 with this message."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="folder holding the spec's CSV files")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        spec = load_spec(args.dir)
    except UsageProblem as exc:
        print(f"ticketgen check: {exc}", file=sys.stderr)
        return 2
    output = to_json(spec) if args.format == "json" else to_text(spec)
    sys.stdout.write(output)
    return 1 if spec.has_errors else 0


def load_spec(folder: str) -> Spec:
    """`draft` shares this, so both commands refuse a missing or empty folder with the same words."""
    from ticketgen.spec import load_dir

    try:
        spec = load_dir(folder)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot read {folder}: {exc.strerror or exc}") from None
    if not spec.files:
        raise UsageProblem(f"no .csv files in {folder}")
    return spec


def ordered(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Errors first, then by row (file-wide findings before row findings)."""
    return sorted(findings, key=lambda f: (f.severity != "error", f.row is not None, f.row or 0))


def file_summaries(spec: Spec) -> list[dict[str, Any]]:
    summaries = []
    for file in spec.files:
        mine = [f for f in spec.findings if f.file == file.name]
        summaries.append(
            {
                "name": file.name,
                "type": file.type,
                "confidence": round(file.confidence, 2),
                "rows": file.row_count,
                "errors": sum(f.severity == "error" for f in mine),
                "warnings": sum(f.severity == "warning" for f in mine),
            }
        )
    return summaries


def to_json(spec: Spec) -> str:
    names = [f.name for f in spec.files]
    findings = []
    for name in names:
        findings.extend(ordered([f for f in spec.findings if f.file == name]))
    findings.extend(f for f in spec.findings if f.file not in names)
    document = {"files": file_summaries(spec), "findings": [f.to_dict() for f in findings]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def to_text(spec: Spec) -> str:
    lines: list[str] = []
    for summary in file_summaries(spec):
        lines.append(
            f"{summary['name']}: {summary['type']} (confidence {summary['confidence']:.2f}), "
            f"{_plural(summary['rows'], 'row')}, {_plural(summary['errors'], 'error')}, "
            f"{_plural(summary['warnings'], 'warning')}"
        )
        for f in ordered([f for f in spec.findings if f.file == summary["name"]]):
            where = f"row {f.row}" if f.row is not None else "file"
            column = f", {f.column}" if f.column else ""
            lines.append(f"  {f.severity.upper():7} {where}{column} [{f.code}]: {f.message}")
            lines.append(f"          fix: {f.hint}")
            if f.suggestions:
                lines.append(f"          closest: {', '.join(f.suggestions)}")
        lines.append("")
    errors, warnings = len(spec.errors), len(spec.warnings)
    verdict = "errors block drafting" if errors else "ready to draft"
    lines.append(
        f"{_plural(len(spec.files), 'file')}, {_plural(errors, 'error')}, {_plural(warnings, 'warning')}: {verdict}."
    )
    return "\n".join(lines) + "\n"
