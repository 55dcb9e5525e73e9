"""Per-tenant settings (configure page). Stored as JSON on the tenant row so adding one needs no migration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ticketgen.codes import StatusCodes

from .errors import InvalidValue


@dataclass(frozen=True, slots=True)
class TenantSettings:
    """Parameters:
    slack_channel: channel id where approval requests are posted ("" = no Slack).
    approvers: Slack user ids allowed to approve or reject.
    approval_required: when False, *Create issues* exports without a Slack approval.
    ticketed_codes / on_hold_codes / existing_codes: how the `X` column is read.
    labels: added to every created issue.
    issue_type: name of the Jira issue type to create.
    llm_enabled / llm_model: use the Anthropic writer ("" model = the deployment's default).
    retention_exported_days / retention_inactive_days: SPEC §5 retention.
    """

    slack_channel: str = ""
    approvers: tuple[str, ...] = ()
    approval_required: bool = True
    ticketed_codes: tuple[str, ...] = ("a", "w")
    on_hold_codes: tuple[str, ...] = ("w",)
    existing_codes: tuple[str, ...] = ("d", "x")
    labels: tuple[str, ...] = ()
    issue_type: str = "Task"
    llm_enabled: bool = True
    llm_model: str = ""
    retention_exported_days: int = 30
    retention_inactive_days: int = 7

    @property
    def status_codes(self) -> StatusCodes:
        return StatusCodes(
            ticketed=frozenset(self.ticketed_codes),
            on_hold=frozenset(self.on_hold_codes),
            existing=frozenset(self.existing_codes),
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TenantSettings:
        """Tolerant of stored JSON written by older or newer versions: unknown keys are dropped."""
        known = {f.name for f in fields(cls)}
        return cls().with_changes({k: v for k, v in data.items() if k in known})

    def with_changes(self, changes: Mapping[str, Any]) -> TenantSettings:
        """A copy with `changes` applied, each checked against the field's type; raises InvalidValue."""
        defaults = {f.name: f.default for f in fields(self)}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in defaults:
                raise InvalidValue(f"unknown setting {name!r}; known: {', '.join(sorted(defaults))}")
            clean[name] = _coerce(name, value, defaults[name])
        return replace(self, **clean)


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InvalidValue(f"setting {name!r} must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidValue(f"setting {name!r} must be a whole number of days ≥ 1, not {value!r}")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple | set | frozenset) or not all(
            isinstance(v, str) for v in value
        ):
            raise InvalidValue(f"setting {name!r} must be a list of texts, not {value!r}")
        items = [v.strip() for v in value if v.strip()]
        if name.endswith("_codes"):
            items = [v.lower() for v in items]
        return tuple(dict.fromkeys(items))
    if not isinstance(value, str):
        raise InvalidValue(f"setting {name!r} must be text, not {value!r}")
    return value.strip()
