from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.planner._utils import machine
from ticketgen.planner.build._utils import BUILDING, Steps


def steps(f: dict) -> Steps:
    etype = f["entity_type"]
    result = Steps(admin_path=cfg.admin_path("view_modes"), modules=["field_ui"])
    for mode in f["view_modes"]:
        if mode["status"] not in BUILDING:
            continue
        name = cfg.view_mode_config(etype, machine(mode["label"]))
        result.config.append(name)
        result.check(
            f"View mode “{mode['label']}” exists (machine name from its label)", name, "label", mode["label"]
        )
    return result
