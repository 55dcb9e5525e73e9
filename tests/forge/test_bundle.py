"""The committed Custom UI bundle (static/) is what `make forge-bundle` builds from app/static and the
templates, and nothing in it loads from outside the app's own resources. No npm needed: the build record
names what forge.js was built from."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.forge import manifest as contract
from tests.conftest import ROOT

RESOURCES = (contract.PANEL_RESOURCE, contract.SETTINGS_RESOURCE)


@pytest.fixture(scope="module")
def bundler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("forge_bundle", ROOT / "scripts" / "forge_bundle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("forge_bundle", module)
    spec.loader.exec_module(module)
    return module


def test_the_committed_bundle_is_up_to_date(bundler: ModuleType) -> None:
    assert bundler.check() == []


def test_a_stale_copy_or_forge_js_is_named(bundler: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "static"
    shutil.copytree(ROOT / contract.RESOURCE_DIR, out)
    (out / contract.PANEL_RESOURCE / "common.js").write_text("/* edited by hand */", encoding="utf-8")
    (out / contract.SETTINGS_RESOURCE / "forge.js").write_text("/* not what was built */", encoding="utf-8")
    (out / contract.SETTINGS_RESOURCE / "extra.js").write_text("", encoding="utf-8")
    problems = bundler.check(out)
    assert any("panel/common.js differs" in p for p in problems), problems
    assert any("settings/forge.js is not the forge.js" in p for p in problems), problems
    assert any("settings/extra.js is not part" in p for p in problems), problems


@pytest.mark.parametrize("resource", RESOURCES)
def test_nothing_loads_from_outside_the_resource(resource: str) -> None:
    directory = ROOT / contract.RESOURCE_DIR / resource
    html = (directory / "index.html").read_text(encoding="utf-8")
    css = (directory / "ticketgen.css").read_text(encoding="utf-8")
    in_css = re.findall(r"url\((?!#)([^)]*)\)", css)  # url(#marker): an SVG marker of the page itself
    references = re.findall(r'(?:src|href|data-src)="([^"#]+)"', html) + in_css
    assert references, "index.html names its scripts and stylesheet"
    for ref in references:
        assert ref.startswith("./") and "/" not in ref[2:], f"{resource}: {ref} is not one of its own files"
        assert (directory / ref[2:]).is_file(), f"{resource}: {ref} is missing"
    assert not re.search(r"<script(?![^>]*(?:src=\"\./|type=))", html), "no inline script runs"
    # The page's scripts wait for forge.js (the only one that runs first), transport.js first of them.
    later = re.findall(r'type="text/x-ticketgen-later" data-src="\./([\w.-]+)"', html)
    assert later[:2] == ["transport.js", "common.js"]
    assert re.findall(r'<script src="\./([\w.-]+)"', html) == ["forge.js"]
