"""Builds the Forge app's Custom UI resources (static/panel, static/settings) from the Connect pages' own
templates and scripts, so both hosts run one codebase. `make forge-bundle` runs it after `npm ci`.

Each resource directory holds index.html (the Jinja template rendered for Forge: the page's scripts kept
inert until forge.js has the context), forge.js (app/forge/boot.js and @forge/bridge, bundled by esbuild from
the lockfile's pinned versions), and byte-for-byte copies of the CSS, the icon and the page's scripts.
`static/forge-build.json` records what forge.js was built from, so `--check` (run by the test suite, no
npm needed) tells a stale bundle from a fresh one.

    python scripts/forge_bundle.py            # build (needs node_modules: npm ci)
    python scripts/forge_bundle.py --check    # exit 1, naming each stale file, when a rebuild is due
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import jinja2
from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.connect.descriptor import _ICON  # noqa: E402  (the one copy of the app's icon)
from app.forge.manifest import (  # noqa: E402
    PANEL_RESOURCE,
    PROJECT_PAGE_TITLE,
    RESOURCE_DIR,
    SETTINGS_PAGE_TITLE,
    SETTINGS_RESOURCE,
)

STATIC_SRC = ROOT / "app" / "static"
OUT = ROOT / RESOURCE_DIR
BOOT = ROOT / "app" / "forge" / "boot.js"
LOCKFILE = ROOT / "package-lock.json"
RECORD = OUT / "forge-build.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
PAGES = {
    PANEL_RESOURCE: ("panel.html", PROJECT_PAGE_TITLE),
    SETTINGS_RESOURCE: ("configure.html", SETTINGS_PAGE_TITLE),
}
LATER = "text/x-ticketgen-later"
_SCRIPT = re.compile(r'<script src="\./([\w.-]+\.js)"></script>')


def render(resource: str) -> str:
    """index.html of `resource`: the Connect template with forge.js in all.js's place and every other
    script inert (forge.js loads them once the bridge has given the context)."""
    template_name, title = PAGES[resource]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "templates"), autoescape=True)
    html = env.get_template(template_name).render(
        title=title,
        static=".",
        project_key=Markup('<span id="tg-project-key"></span>'),
        context_json=Markup(json.dumps({"host": "forge", "page": resource})),
        connect_js="./forge.js",
        connect_js_options="",
    )
    return _SCRIPT.sub(
        lambda m: (
            m.group(0)
            if m.group(1) == "forge.js"
            else f'<script type="{LATER}" data-src="./{m.group(1)}"></script>'
        ),
        html,
    )


def copied(html: str) -> list[str]:
    """The files index.html names that are copied from app/static as they are."""
    names = re.findall(r'(?:data-src|href|src)="\./([\w.-]+)"', html)
    return [n for n in dict.fromkeys(names) if n not in ("forge.js", "icon.svg")]


def expected(resource: str) -> dict[str, bytes]:
    """Every file of the resource directory but forge.js, as it must be."""
    html = render(resource)
    files = {"index.html": html.encode("utf-8"), "icon.svg": _ICON.encode("utf-8")}
    files.update({name: (STATIC_SRC / name).read_bytes() for name in copied(html)})
    return files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inputs() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): _sha(p.read_bytes()) for p in (BOOT, LOCKFILE)}


def build() -> None:
    if not ESBUILD.exists():
        sys.exit("esbuild is not installed: run `npm ci` first (make forge-bundle does)")
    bundle = OUT / "forge.js"
    OUT.mkdir(exist_ok=True)
    subprocess.run(
        [str(ESBUILD), str(BOOT.relative_to(ROOT)), "--bundle", "--format=iife", "--minify",
         "--target=es2018", "--log-level=warning", f"--outfile={bundle.relative_to(ROOT)}"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    script = bundle.read_bytes()
    bundle.unlink()
    for resource in PAGES:
        directory = OUT / resource
        if directory.exists():
            for old in directory.iterdir():
                old.unlink()
        directory.mkdir(exist_ok=True)
        for name, data in {**expected(resource), "forge.js": script}.items():
            (directory / name).write_bytes(data)
    record = {"inputs": _inputs(), "forge.js": _sha(script)}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def check(out: Path = OUT) -> list[str]:
    """What is stale or missing in the committed bundle under `out`, in words; empty when up to date."""
    problems: list[str] = []
    record_file = out / RECORD.name
    if not record_file.exists():
        return [f"{record_file} is missing: run make forge-bundle"]
    record = json.loads(record_file.read_text(encoding="utf-8"))
    for name, digest in _inputs().items():
        if record.get("inputs", {}).get(name) != digest:
            problems.append(f"{name} changed since forge.js was built: run make forge-bundle")
    for resource in PAGES:
        directory = out / resource
        want = {**expected(resource), "forge.js": None}
        have = {p.name for p in directory.iterdir()} if directory.exists() else set()
        problems += [f"{directory / n} is not part of the bundle" for n in sorted(have - set(want))]
        for name, data in want.items():
            path = directory / name
            if not path.exists():
                problems.append(f"{path} is missing: run make forge-bundle")
            elif data is None and _sha(path.read_bytes()) != record.get("forge.js"):
                problems.append(f"{path} is not the forge.js that was built: run make forge-bundle")
            elif data is not None and path.read_bytes() != data:
                problems.append(f"{path} differs from its source: run make forge-bundle")
    return problems


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        found = check()
        print("\n".join(found) or "the Forge bundle is up to date")
        sys.exit(1 if found else 0)
    build()
