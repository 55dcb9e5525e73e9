"""Per-tenant settings (configure page). Stored as JSON on the tenant row so adding one needs no migration."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, replace
from typing import Any

from ticketgen.codes import StatusCodes

from .errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Rule:
    """What a text setting, or each item of a list setting, accepts; `what` says it to an admin."""

    pattern: re.Pattern[str]
    what: str
    max_items: int = 0


RETENTION_DAYS = (1, 3650)
_CODE = Rule(re.compile(r"[a-z0-9?!*+-]{1,8}"), "codes of 1 to 8 letters, digits or ?!*+-", max_items=20)
# The configure page checks the same shapes as you type (app/static/configure.js); Slack ids are kept
# loose in length, Slack does not document one.
RULES: dict[str, Rule] = {
    "slack_channel": Rule(
        re.compile(r"|[CG][A-Z0-9]{1,20}|#[a-z0-9][a-z0-9._-]{0,79}"),
        "a Slack channel id like C0123ABCD or a #channel-name",
    ),
    "approvers": Rule(re.compile(r"[UW][A-Z0-9]{1,20}"), "Slack user ids like U0123ABCD", max_items=50),
    "ticketed_codes": _CODE,
    "on_hold_codes": _CODE,
    "existing_codes": _CODE,
    "labels": Rule(
        re.compile(r"[^\s\x00-\x1f\x7f]{1,255}"),
        "Jira labels: one word of at most 255 characters",
        max_items=20,
    ),
    "issue_type": Rule(re.compile(r"[^\x00-\x1f\x7f]{1,60}"), "an issue type name of 1 to 60 characters"),
    "category_as": Rule(re.compile(r"label|component"), '"label" or "component"'),
    "llm_model": Rule(
        re.compile(r"[A-Za-z0-9._:-]{0,100}"), "a model name without spaces, at most 100 characters"
    ),
}
# Jira account ids are opaque: `557058:<uuid>` or 24 hex digits today; the rule is loose but bounded.
ACCOUNT_ID = Rule(
    re.compile(r"[A-Za-z0-9:_-]{1,128}"),
    "Jira account ids (1 to 128 letters, digits or :_-, like 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077)",
    max_items=RULES["approvers"].max_items,
)


@dataclass(frozen=True, slots=True)
class TenantSettings:
    """Parameters:
    slack_channel: channel id where approval requests are posted ("" = no Slack).
    approvers: Slack user ids allowed to approve or reject.
    approver_accounts: approver's Slack user id → their Jira account id. A linked approver's Approve or
        Resume runs the export only if Jira grants that account the export's permissions in the project;
        only approvers can be linked (links of people no longer approvers are dropped).
    approval_required: when False, *Create issues* exports without a Slack approval.
    ticketed_codes / on_hold_codes / existing_codes: how the `X` column is read.
    labels: added to every created issue.
    issue_type: name of the Jira issue type to create.
    category_as: how an issue carries its work category: a "label" (spaces as dashes) or a "component"
        (the project must have components of those names).
    llm_enabled / llm_model: use the Anthropic writer ("" model = the deployment's default).
    retention_exported_days / retention_inactive_days: SPEC §5 retention, 1 to 3650 days.
    """

    slack_channel: str = ""
    approvers: tuple[str, ...] = ()
    approver_accounts: Mapping[str, str] = field(default_factory=dict)
    approval_required: bool = True
    ticketed_codes: tuple[str, ...] = ("a", "w")
    on_hold_codes: tuple[str, ...] = ("w",)
    existing_codes: tuple[str, ...] = ("d", "x")
    labels: tuple[str, ...] = ()
    issue_type: str = "Task"
    category_as: str = "label"
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
        """Tolerant of stored JSON written by older or newer versions: unknown keys are dropped, values out of
        today's bounds are brought within them."""
        if not isinstance(data, Mapping):
            return cls()
        defaults = {f.name: _default(f) for f in fields(cls)}
        read = replace(cls(), **{k: _stored(k, v, defaults[k]) for k, v in data.items() if k in defaults})
        return read._approvers_only()

    def with_changes(self, changes: Mapping[str, Any]) -> TenantSettings:
        """A copy with `changes` applied, each checked against the setting's type and bounds; raises
        InvalidValue naming the setting and what it accepts."""
        defaults = {f.name: _default(f) for f in fields(self)}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in defaults:
                raise InvalidValue(f"unknown setting {name!r}; known: {', '.join(sorted(defaults))}")
            clean[name] = _coerce(name, value, defaults[name])
        changed = replace(self, **clean)
        if "approver_accounts" in clean:
            strangers = [user for user in changed.approver_accounts if user not in changed.approvers]
            if strangers:
                raise InvalidValue(
                    f"setting 'approver_accounts' links {_shown(strangers[0])} to a Jira account, but only "
                    "approvers can be linked; add them to 'approvers' first, or remove the link"
                )
        return changed._approvers_only()

    def _approvers_only(self) -> TenantSettings:
        """Someone removed from the approvers loses their link too, so re-adding them does not revive it."""
        kept = {user: account for user, account in self.approver_accounts.items() if user in self.approvers}
        return self if len(kept) == len(self.approver_accounts) else replace(self, approver_accounts=kept)


def _default(f: Field[Any]) -> Any:
    return f.default_factory() if f.default is MISSING and f.default_factory is not MISSING else f.default


def _stored(name: str, value: Any, default: Any) -> Any:
    """A stored value that today's bounds refuse (saved before they existed) is read as the nearest value
    they allow, so one tenant's old setting can neither break its pages nor the retention job."""
    try:
        return _coerce(name, value, default)
    except InvalidValue:
        if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, int | float):
            return min(max(int(value), RETENTION_DAYS[0]), RETENTION_DAYS[1])
        return default


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InvalidValue(f"setting {name!r} must be true or false, not {_shown(value)}")
        return value
    if isinstance(default, int):
        low, high = RETENTION_DAYS
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(
                f"setting {name!r} must be a whole number of days from {low} to {high}, not {_shown(value)}"
            )
        return value
    if isinstance(default, Mapping):
        return _accounts(name, value)
    rule = RULES[name]
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple | set | frozenset) or not all(
            isinstance(v, str) for v in value
        ):
            raise InvalidValue(f"setting {name!r} must be a list of texts, not {_shown(value)}")
        items = [v.strip() for v in value if v.strip()]
        if name.endswith("_codes"):
            items = [v.lower() for v in items]
        items = list(dict.fromkeys(items))
        if len(items) > rule.max_items:
            raise InvalidValue(f"setting {name!r} takes at most {rule.max_items} values, not {len(items)}")
        bad = [v for v in items if not rule.pattern.fullmatch(v)]
        if bad:
            raise InvalidValue(f"setting {name!r} must hold {rule.what}; {_shown(bad[0])} is not one")
        return tuple(items)
    if not isinstance(value, str):
        raise InvalidValue(f"setting {name!r} must be text, not {_shown(value)}")
    if not rule.pattern.fullmatch(value.strip()):
        raise InvalidValue(f"setting {name!r} must be {rule.what}, not {_shown(value.strip())}")
    return value.strip()


def _accounts(name: str, value: Any) -> dict[str, str]:
    """Slack user id → Jira account id; an empty account id means "not linked" and is dropped."""
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidValue(
            f"setting {name!r} must map Slack user ids to Jira account ids, like "
            f'{{"U0123ABCD": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"}}, not {_shown(value)}'
        )
    links = {k.strip(): v.strip() for k, v in value.items() if v.strip()}
    if len(links) > ACCOUNT_ID.max_items:
        raise InvalidValue(f"setting {name!r} takes at most {ACCOUNT_ID.max_items} links, not {len(links)}")
    for user, account in links.items():
        if not RULES["approvers"].pattern.fullmatch(user):
            raise InvalidValue(
                f"setting {name!r} must link {RULES['approvers'].what}; {_shown(user)} is not one"
            )
        if not ACCOUNT_ID.pattern.fullmatch(account):
            raise InvalidValue(
                f"setting {name!r} must hold {ACCOUNT_ID.what}; {_shown(account)} (for {user}) is not one"
            )
    return links
