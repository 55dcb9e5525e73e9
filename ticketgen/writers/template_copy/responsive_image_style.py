"""responsive_image_style: the breakpoint group, the families it maps, and its fallback."""

from __future__ import annotations

from ticketgen.drupal.names import usable
from ticketgen.planner._utils import loose
from ticketgen.planner.kinds.image_styles import SAME_SIZE
from ticketgen.writers.template_copy._utils import Copy, Facts, listing, named


def write(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    group = f.get("breakpoint_group") or "theme"
    story = (
        f"As a front-end developer, I want the {name} responsive image style so that every breakpoint of "
        f"the {group} group gets a correctly sized image."
    )
    criteria = [f"The responsive image style {named(name, mn)} exists and uses the {group} breakpoint group."]
    if f.get("breakpoints"):
        criteria.append(f"Breakpoints mapped: {f['breakpoints']}.")
    families = [x["label"] for x in f.get("families", [])]
    if f.get("mapping"):
        mapped = [m for m in f["mapping"] if m["style"]]
        open_points = list(dict.fromkeys(m["breakpoint"] for m in f["mapping"] if not m["style"]))
        criteria.append(
            "Image style mappings (Breakpoints settings of the style, “Select a single image style”): "
            + "; ".join(f"{m['breakpoint']} {m['multiplier']} → {m['style']}" for m in mapped)
            + "."
        )
        renamed = [
            (m["breakpoint"], m["style"])
            for m in mapped
            if m["multiplier"] == "1x" and _said_otherwise(m["breakpoint"], m["style"])
        ]
        for point, style in renamed:
            criteria.append(
                f"{point} is mapped to {style}, whose name says the same breakpoint another way (big / large): the "
                f"theme's breakpoints file has one name for it, so check at /admin/config/media/responsive-image-style "
                f"that {point} is the breakpoint {style} was made for, not a second one."
            )
        if open_points:
            criteria.append(
                f"{listing(open_points)} {'is' if len(open_points) == 1 else 'are'} left “Do not use this "
                "breakpoint” until the open question on its style is answered."
            )
    elif families:
        criteria.append(
            f"Each breakpoint and multiplier uses the matching style of the {listing(families)} "
            f"{'family' if len(families) == 1 else 'families'} (1x, 1.5x and 2x variants)."
        )
    fallback = f.get("fallback", {})
    if fallback.get("name") or fallback.get("machine_name"):
        proposed = usable(fallback["machine_name"]) if fallback.get("machine_name") else ""
        note = (
            f" (the spec writes {fallback['machine_name']}: use the name the image style ticket's open question settles)"
            if proposed and proposed != fallback["machine_name"]
            else ""
        )
        criteria.append(f"The fallback image style is {named(fallback['name'], proposed)}{note}.")
    return story, criteria


def _said_otherwise(point: str, style: str) -> bool:
    """ "Large Desk" served by banner_big_desk: the same breakpoint only by the big / large reading."""
    words, named = set(loose(point).split()), set(style.split("_"))
    differ = words - named
    return bool(differ) and all(
        SAME_SIZE.get(w) in named or any(SAME_SIZE.get(n) == w for n in named) for w in differ
    )
