from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.planner.build._utils import Steps
from ticketgen.planner.build.permissions import machine_names


def steps(f: dict) -> Steps:
    mn = f["machine_name"]
    result = Steps(admin_path=cfg.admin_path("role", id=mn), modules=["user"])
    name = cfg.role_config(mn)
    result.config.append(name)
    result.check(f"The role “{f['name']}” exists", name, "label", f["name"])
    granted = [
        p for e in f.get("on_existing", []) for p in machine_names(e["titles"], "node", e["machine_name"])
    ]
    if granted:
        result.check("It holds its permissions on the content types already on the site", name, "permissions",
                     "includes: " + ", ".join([*granted, "access content overview"]))  # fmt: skip
    return result
