"""Validation against Atlassian's ADF schema (`@atlaskit/adf-schema` 57.7.22, Draft-04, shipped beside this
module as `adf-schema.json` with prose descriptions stripped; provenance in tests/contracts/adf-SOURCE.md).

Jira answers invalid ADF with an unhelpful 400, so the renderer, the export and the Jira sandbox all
check documents here first.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SCHEMA_RESOURCE = "adf-schema.json"

# The schema nests `anyOf` over every node kind at every level, and Draft-04 evaluates every keyword of
# every branch: plain `jsonschema` takes ~0.4 s on a small description and exhausts memory on a large
# table. Branches whose `type` enum excludes the node's own `type` can never match, so `anyOf` only
# tries the others: same verdict, linear time, and an error that names the node that is wrong.


def _node_types(
    schema: dict[str, Any], definitions: dict[str, Any], seen: frozenset[str] = frozenset()
) -> Any:
    """The `type` values a subschema accepts, or None when it does not constrain them."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/") and ref not in seen:
        return _node_types(definitions[ref.rsplit("/", 1)[1]], definitions, seen | {ref})
    known = [_node_types(s, definitions, seen) for s in schema.get("allOf", [])]
    enum = schema.get("properties", {}).get("type", {}).get("enum")
    if isinstance(enum, list):
        known.append(frozenset(enum))
    known = [k for k in known if k is not None]
    if known:
        return frozenset.intersection(*known)
    branches = [_node_types(s, definitions, seen) for s in schema.get("anyOf", [])]
    if branches and all(b is not None for b in branches):
        return frozenset().union(*branches)
    return None


@functools.cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text("utf-8")


def adf_schema() -> dict[str, Any]:
    """A fresh copy of the shipped ADF schema (Draft-04), as published with descriptions stripped."""
    return json.loads(_schema_text())


# Documents repeat their nodes (headings, closing verify commands, table cells, whole descriptions sent
# again), so a node already found valid under the same `anyOf` is not walked again: validity depends on
# the node and the schema alone (no dynamic scope in Draft-04), and the repr of JSON data (dicts, lists,
# strings, numbers, booleans, None) tells types apart (1, 1.0 and True; a list and a tuple). Only valid
# nodes are remembered, so errors are found and reported exactly as before. Bounded by the reprs' size.
_MEMO_CHARS = 8_000_000


@functools.cache
def _validator() -> Any:
    import jsonschema  # deferred: only validation needs it
    from jsonschema.exceptions import ValidationError

    schema = adf_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    definitions = schema.get("definitions", {})
    types: dict[int, Any] = {}
    valid: dict[tuple[int, str], None] = {}  # (anyOf, node's repr) found valid before; see `_MEMO_CHARS`
    size = [0]

    def any_of(validator: Any, branches: list[Any], instance: Any, subschema: Any) -> Any:
        key = (id(branches), repr(instance)) if isinstance(instance, dict) else None
        if key is not None and key in valid:
            return
        candidates = list(enumerate(branches))
        node_type = instance.get("type") if isinstance(instance, dict) else None
        if isinstance(node_type, str):
            for _, branch in candidates:
                if id(branch) not in types:
                    types[id(branch)] = _node_types(branch, definitions)
            candidates = [(i, b) for i, b in candidates if types[id(b)] is None or node_type in types[id(b)]]
            if not candidates:
                allowed = sorted(set().union(*(types[id(b)] for b in branches)))
                yield ValidationError(
                    f"a {node_type!r} node is not allowed here (allowed: {', '.join(allowed)})"
                )
                return
        errors = []
        for index, branch in candidates:
            found = list(validator.descend(instance, branch, schema_path=index))
            if not found:
                if key is not None:
                    if size[0] > _MEMO_CHARS:
                        valid.clear()
                        size[0] = 0
                    valid[key] = None
                    size[0] += len(key[1])
                return
            errors.extend(found)
        what = f"{node_type!r} node" if isinstance(node_type, str) else type(instance).__name__
        yield ValidationError(f"invalid {what}", context=errors)

    cls = jsonschema.validators.extend(jsonschema.Draft4Validator, {"anyOf": any_of})
    return cls(_inline_refs(schema, definitions))


def _inline_refs(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Replace local `$ref`s by the definitions themselves (a cyclic graph): resolving a reference through
    `referencing` on every node was a third of the validation time."""
    copies = {name: dict(d) for name, d in definitions.items()}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return copies[ref.rsplit("/", 1)[1]]
        return {k: walk(v) for k, v in node.items()}

    for name, definition in definitions.items():
        copies[name].clear()
        copies[name].update(walk(definition))
    root = {k: walk(v) for k, v in schema.items() if k != "definitions"}
    return {**root, "definitions": copies}


def validate_adf(adf: Any) -> list[str]:
    """Problems with an ADF document, each naming where (JSON pointer) and what; empty when valid."""
    problems = []
    for error in _validator().iter_errors(adf):
        while error.context:  # the deepest reason is the useful one
            error = min(error.context, key=lambda e: (-len(e.absolute_path), len(e.message)))
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        problems.append(f"{where}: {message}")
    return sorted(problems)
