"""`ticketgen` command line. Each subcommand lives in `ticketgen/commands/<name>.py` and is imported lazily,
so `check`, `draft` and `review` never load the web stack."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, str] = {
    "check": "Validate a folder of spec CSVs and print the findings",
    "draft": "Plan and write ticket drafts from a folder of spec CSVs",
    "review": "Review a folder of spec CSVs against Drupal's rules and print the questions for the spec owner",
    "diff": "Print the re-sync plan between two versions of a spec folder (no Jira involved)",
    "serve": "Run the add-on (ASGI server, embedded worker unless REDIS_URL is set)",
    "worker": "Run Dramatiq workers for production (needs REDIS_URL)",
    "sandbox": "Run the add-on together with the local Jira sandbox, installed",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ticketgen", description="Drupal spec CSVs -> Jira issues")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(f"ticketgen.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ticketgen.commands.{name}":
                raise
            continue
        module.configure(p)
        modules[name] = module
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command not in modules:
        print(f"ticketgen {args.command}: not available in this build", file=sys.stderr)
        return 2
    try:
        return int(modules[args.command].run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
