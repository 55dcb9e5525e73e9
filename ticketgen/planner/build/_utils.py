from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ticketgen.drupal.config import CONFIG_EXPORT, CONFIG_STATUS, CONFIG_STATUS_CLEAN, config_get

EXPORTED = "[success] Configuration successfully exported to <sync directory>."

BUILDING = frozenset({"new", "on_hold"})


@dataclass(slots=True)
class Steps:
    modules: list[str] = field(default_factory=list)
    admin_path: str = ""
    config: list[str] = field(default_factory=list)
    verify: list[dict[str, str]] = field(default_factory=list)

    def check(self, check: str, name: str, key: str, expect: str) -> None:
        self.verify.append({"check": check, "command": config_get(name, key), "expect": expect})

    def need(self, modules: Iterable[str]) -> None:
        self.modules = list(dict.fromkeys([*self.modules, *modules]))


def closing(config: list[str]) -> list[dict[str, str]]:
    """Before export the new config is pending; export writes it; afterwards nothing differs. Drush's own
    words, so QA can match them."""
    pending = (
        "lists the config objects above as “Only in DB” or “Different”"
        if config
        else "lists the changes this ticket made as “Only in DB” or “Different”"
    )
    return [
        {
            "check": "Before export, this ticket's config is pending",
            "command": CONFIG_STATUS,
            "expect": pending,
        },
        {"check": "The configuration is exported", "command": CONFIG_EXPORT, "expect": EXPORTED},
        {"check": "Nothing is left unexported", "command": CONFIG_STATUS, "expect": CONFIG_STATUS_CLEAN},
    ]


def flag_on(value: str) -> bool:
    return value.strip().casefold() in {"y", "yes"}
