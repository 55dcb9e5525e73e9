from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.planner.build._utils import Steps


def steps(f: dict) -> Steps:
    mn = f["machine_name"]
    result = Steps(admin_path=cfg.admin_path("role", id=mn), modules=["user"])
    name = cfg.role_config(mn)
    result.config.append(name)
    result.check(f"The role “{f['name']}” exists", name, "label", f["name"])
    return result
