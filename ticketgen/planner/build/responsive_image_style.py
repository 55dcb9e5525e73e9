from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.drupal.names import usable
from ticketgen.planner.build._utils import Steps


def steps(f: dict) -> Steps:
    mn = f["machine_name"]
    result = Steps(
        admin_path=cfg.admin_path("responsive_image_style", id=mn), modules=["responsive_image", "breakpoint"]
    )
    name = cfg.responsive_image_style_config(mn)
    result.config.append(name)
    result.check(f"Responsive image style “{f['name']}” exists", name, "label", f["name"])
    if mapped := [m for m in f.get("mapping", []) if m["style"]]:
        result.check("Each breakpoint and multiplier maps to its style", name, "image_style_mappings",
                     "; ".join(f"{m['breakpoint']} {m['multiplier']}: {m['style']}" for m in mapped))  # fmt: skip
    fallback = (f.get("fallback") or {}).get("machine_name")
    if fallback:
        result.check("Its fallback image style is set", name, "fallback_image_style", usable(fallback))
    return result
