"""image_styles: one family of image styles (its 1x, 1.5x, 2x… variants) in one ticket."""

from __future__ import annotations

from ticketgen.drupal.names import usable
from ticketgen.writers.template_copy._utils import (
    BUILDING,
    Copy,
    Facts,
    clause_criteria,
    listing,
    named,
    plural,
    said,
)


def write(f: Facts) -> Copy:
    styles = [s for s in f["styles"] if s["status"] in BUILDING]
    variants = listing([s["variant"] for s in styles])
    if len(styles) > 1:
        story = (
            f"As a front-end developer, I want the {f['label']} image styles ({variants}) so that images are "
            f"cropped and compressed consistently for every pixel density that uses {f['label']}."
        )
    else:
        story = (
            f"As a front-end developer, I want the {f['label']} image style so that images rendered with it are "
            "cropped and sized as the design specifies."
        )
    exist = "exists" if len(styles) == 1 else "exist"
    criteria = [
        f"{plural(len(styles), 'image style')} of the {f['label']} family {exist} at /admin/config/media/image-styles: "
        f"{listing([_name(s) for s in styles])}."
    ]
    for s in styles:
        effects = clause_criteria(s.get("clauses", []))
        if effects:
            criteria += effects
        elif s["effects"]:
            criteria.append(f"{named(s['name'], s['machine_name'])} has the effects {said(s['effects'])}.")
        else:
            criteria.append(
                f"{named(s['name'], s['machine_name'])}: the spec gives no effects (ask the spec owner)."
            )
    return story, criteria


def _name(style: dict) -> str:
    """The style under the machine name it will have: the spec's, or the one its open question proposes."""
    proposed = usable(style["machine_name"])
    if proposed == style["machine_name"]:
        return named(style["name"], proposed)
    return f"“{style['name']}” ({proposed}; the spec writes {style['machine_name']}, see the open question)"
