"""`ticketgen draft DIR [--format md|json|adf] [--out PATH]`: plan and write ticket drafts offline.

Exit status: 0 drafts written, 1 the spec has errors (the findings are printed) or a draft could not be
rendered, 2 usage problems (no such folder, no CSV files, an unusable --out or writer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ticketgen.commands._utils import check_out, write_output
from ticketgen.commands.check import UsageProblem, load_spec, to_text
from ticketgen.drafts.model import Draft

FORMATS = ("md", "json", "adf")
WRITERS = ("auto", "template", "llm")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="folder holding the spec's CSV files")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--out", metavar="PATH", default="-", help="output file (default: standard output)")
    parser.add_argument(
        "--writer",
        choices=WRITERS,
        default="auto",
        help="who writes stories and criteria: llm when ANTHROPIC_API_KEY is set (auto, the default), "
        "or always the offline template writer",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageProblem as exc:
        print(f"ticketgen draft: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ticketgen.planner import coverage, plan

    out = check_out(args.out)
    spec = load_spec(args.dir)
    if spec.has_errors:
        sys.stderr.write(to_text(spec))
        print(
            f"ticketgen draft: refused: the spec has {len(spec.errors)} error(s); fix them and run again.",
            file=sys.stderr,
        )
        return 1
    planned = plan(spec)
    writer = _writer(args.writer)
    site = f"Drupal site '{Path(args.dir).resolve().name}' ({len(planned.drafts)} configuration tickets)"
    try:
        result = asyncio.run(writer.write(planned.drafts, site=site, progress=_progress()))
    except Exception as exc:  # a writer must not fail the run; if it does, say so without a traceback
        print(f"\nticketgen draft: the {writer.name} writer failed: {exc}", file=sys.stderr)
        return 1
    by_key = {d.key: d for d in result.drafts}
    drafts = [by_key.get(key) or planned.by_key[key] for key in planned.order]
    cover = coverage(spec, planned)
    stats = {
        **draft_stats(drafts, writer=writer.name),
        "usage": asdict(result.usage),
        "fallbacks": len(getattr(result, "fallbacks", {}) or {}),
        "coverage": {"cells": cover.cells, "missing": len(cover.missing), "fraction": cover.fraction},
        "warnings": len(spec.warnings),
    }
    if args.format == "md":
        output = _markdown(drafts, Path(args.dir).resolve().name, [f.name for f in spec.files], stats)
    else:
        rendered = render_drafts(drafts)
        if isinstance(rendered, list):
            for problem in rendered:
                print(f"ticketgen draft: {problem}", file=sys.stderr)
            return 1
        stats["attachments"] = sum(v["attachment"] is not None for v in rendered.values())
        if args.format == "json":
            document: Any = {"drafts": list(rendered.values()), "order": list(planned.order), "stats": stats}
        else:
            document = {key: value["adf"] for key, value in rendered.items()}
        output = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        write_output(out, output)
    except OSError as exc:
        raise UsageProblem(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(_summary(stats, out), file=sys.stderr)
    return 0


def draft_stats(drafts: Sequence[Draft], *, writer: str) -> dict[str, Any]:
    from ticketgen.markdown import ON_HOLD, kind_counts

    writers: dict[str, int] = {}
    for d in drafts:
        writers[d.writer] = writers.get(d.writer, 0) + 1
    return {
        "counts": kind_counts(drafts),
        "total": len(drafts),
        "edges": sum(len(d.depends_on) for d in drafts),
        "on_hold": sum(ON_HOLD in d.labels for d in drafts),
        "writer": writer,
        "writers": writers,
    }


def draft_json(draft: Draft, adf: dict[str, Any], attachment: Any) -> dict[str, Any]:
    """One draft in the `draft --format json` contract."""
    return {
        "key": draft.key,
        "kind": draft.kind,
        "summary": draft.summary,
        "user_story": draft.user_story,
        "criteria": list(draft.criteria),
        "tables": [
            {"title": t.title, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
            for t in draft.tables
        ],
        "notes": list(draft.notes),
        "labels": list(draft.labels),
        "depends_on": list(draft.depends_on),
        "sources": [{"file": s.file, "rows": list(s.rows)} for s in draft.sources],
        "questions": [dict(q) for q in draft.questions],
        "modules": list(draft.modules),
        "admin_path": draft.admin_path,
        "config": list(draft.config),
        "verify": [dict(v) for v in draft.verify],
        "writer": draft.writer,
        "category": draft.category,
        "estimate": None if draft.estimate is None else asdict(draft.estimate),
        "adf": adf,
        "attachment": None if attachment is None else {"name": attachment.name, "size": attachment.size},
    }


def render_drafts(drafts: Sequence[Draft]) -> dict[str, dict[str, Any]] | list[str]:
    """Each draft's JSON with its validated description, keyed by draft key; or the problems found."""
    from ticketgen.adf import description_for, validate_adf

    rendered: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for draft in drafts:
        description = description_for(draft)
        problems += [f"{draft.key}: invalid ADF at {p}" for p in validate_adf(description.adf)]
        rendered[draft.key] = draft_json(draft, description.adf, description.attachment)
    return problems or rendered


def _markdown(drafts: Sequence[Draft], folder: str, files: Sequence[str], stats: dict[str, Any]) -> str:
    from ticketgen.markdown import plan_markdown

    cover = stats["coverage"]
    intro = (
        f"Generated by `ticketgen draft` from the {len(files)} spec files in `{folder}/` "
        f"({', '.join(f'`{name}`' for name in files)}). Stories and criteria by the {stats['writer']} writer. "
        f"The configuration tables are copied from the spreadsheet cells: they show "
        f"{cover['cells'] - cover['missing']} of the {cover['cells']} non-empty cells of ticketed rows."
    )
    return plan_markdown(drafts, title=f"Ticket drafts: {folder}", intro=intro)


def _writer(choice: str) -> Any:
    from ticketgen.writers.template import TemplateWriter

    key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if choice == "template" or (choice == "auto" and not key):
        return TemplateWriter()
    if not key:
        raise UsageProblem("--writer llm needs ANTHROPIC_API_KEY to be set")
    try:
        from ticketgen.writers.anthropic import AnthropicWriter
    except ImportError as exc:
        if choice == "llm":
            raise UsageProblem(f"the Anthropic writer is not available in this build ({exc})") from None
        print(
            f"ticketgen draft: the Anthropic writer is not available ({exc}); using the template writer",
            file=sys.stderr,
        )
        return TemplateWriter()
    from app.config import Config

    try:
        return AnthropicWriter.from_config(Config.from_env())
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, key: str) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r\033[Kwriting {done}/{total} {key}{end}")
        sys.stderr.flush()

    return show


def _summary(stats: dict[str, Any], out: Path | None) -> str:
    from ticketgen.markdown import counts_line

    line = f"{stats['total']} drafts ({counts_line(stats['counts'])}), {stats['edges']} dependency links"
    line += f", writer {stats['writer']}"
    if stats.get("fallbacks"):
        line += f" ({stats['fallbacks']} fell back to the template)"
    usage = stats["usage"]
    if usage.get("requests"):
        line += (
            f", {usage['requests']} requests, {usage['input_tokens']}+{usage['output_tokens']} tokens, "
            f"${usage['cost_usd']:.2f}"
        )
    if stats.get("attachments"):
        line += f", {stats['attachments']} over the description budget (attached as Markdown)"
    if stats.get("warnings"):
        line += f"; {stats['warnings']} spec warnings (see `ticketgen check`)"
    return line + (f"; wrote {out}" if out else "")
