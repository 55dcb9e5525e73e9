"""Request bodies checked against Atlassian's own OpenAPI schemas, descriptions against the ADF schema."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from sandbox._utils import JiraProblem


@lru_cache(maxsize=1)
def _subset() -> dict[str, Any]:
    return json.loads(resources.files("sandbox").joinpath("openapi-subset.json").read_text(encoding="utf-8"))


@cache
def _validator(operation_id: str) -> Draft7Validator:
    subset = _subset()
    schema = {**subset["operations"][operation_id]["schema"], "components": subset["components"]}
    return Draft7Validator(schema)


def schema_problems(operation_id: str, body: Any) -> list[str]:
    problems = []
    for error in sorted(_validator(operation_id).iter_errors(body), key=lambda e: list(e.absolute_path)):
        deepest = best_match([error, *error.context]) if error.context else error
        where = "/".join(str(p) for p in deepest.absolute_path) or "request body"
        problems.append(f"{where}: {deepest.message}")
    return problems


@cache
def _response_validator(operation_id: str) -> Draft7Validator:
    subset = _subset()
    schema = {**subset["operations"][operation_id]["response"], "components": subset["components"]}
    return Draft7Validator(schema)


def response_problems(operation_id: str, body: Any) -> list[str]:
    """What in an answer the sandbox is about to send does not fit the reference's 200 schema."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or 'response body'}: {error.message}"
        for error in _response_validator(operation_id).iter_errors(body)
    ]


def check_body(operation_id: str, body: Any) -> None:
    """400 like Jira when the body does not fit the operation's schema (Jira names the bad field)."""
    problems = schema_problems(operation_id, body)
    if problems:
        raise JiraProblem(400, *problems[:10])


def adf_problems(doc: Any) -> list[str]:
    from ticketgen.adf import validate_adf

    return validate_adf(doc)
