from __future__ import annotations

import re

from ticketgen.drupal import config as cfg
from ticketgen.drupal.names import machine_name_problem, usable
from ticketgen.planner.build._utils import BUILDING, Steps

# Effect labels the admin UI shows, to the plugin ids `effects` stores (core image module, Focal Point,
# Image Style Quality).
EFFECT_IDS = {
    "focal point scale and crop": "focal_point_scale_and_crop",
    "focal point crop by anchor": "focal_point_crop",
    "scale and crop": "image_scale_and_crop",
    "scale": "image_scale",
    "crop": "image_crop",
    "resize": "image_resize",
    "convert": "image_convert",
    "desaturate": "image_desaturate",
    "rotate": "image_rotate",
    "image style quality": "image_style_quality",
}
_EFFECT = re.compile(
    r"has the effect “([^”]+)”\s*(?:(\d+)×(\d+)|width (\d+), height left blank|with extension (\w+)|(\d+)%)?"
)


def steps(f: dict) -> Steps:
    styles = [s for s in f["styles"] if s["status"] in BUILDING]
    first = usable(styles[0]["machine_name"]) if styles else usable(f["family"])
    result = Steps(admin_path=cfg.admin_path("image_style", id=first), modules=["image"])
    for style in styles:
        pending = (
            " (the name its open question proposes)" if machine_name_problem(style["machine_name"]) else ""
        )
        name = cfg.image_style_config(usable(style["machine_name"]))
        result.config.append(name)
        result.check(f"Image style “{style['name']}” exists{pending}", name, "label", style["name"])
        effects = effects_of(style.get("clauses", []))
        if effects:
            result.check(
                f"“{style['name']}” has exactly its effects, in order", name, "effects", "; ".join(effects)
            )
    return result


def effects_of(clauses: list[dict]) -> list[str]:
    """ "focal_point_scale_and_crop (width 63, height 63)" per effect the classified notes name."""
    found = []
    for clause in clauses:
        match = _EFFECT.search(clause.get("criterion", ""))
        if not match or match.group(1).casefold() not in EFFECT_IDS:
            continue
        plugin, width, height, only, extension, quality = (
            EFFECT_IDS[match.group(1).casefold()],
            *match.groups()[1:],
        )
        detail = (
            f"width {width}, height {height}" if width
            else f"width {only}, height null" if only
            else f"extension {extension}" if extension
            else f"quality {quality}" if quality
            else ""
        )  # fmt: skip
        found.append(f"{plugin} ({detail})" if detail else plugin)
    return found
