"""image_styles: one family of image styles (its 1x, 1.5x, 2x… variants) in one ticket."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import BUILDING, Copy, Facts, listing, named, plural


def write(f: Facts) -> Copy:
    styles = [s for s in f["styles"] if s["status"] in BUILDING]
    variants = listing([s["variant"] for s in styles])
    story = (
        f"As a front-end developer, I want the {f['label']} image styles ({variants}) so that images are "
        f"cropped and compressed consistently for every pixel density that uses {f['label']}."
    )
    criteria = [f"{plural(len(styles), 'image style')} of the {f['label']} family exist as listed."]
    for s in styles:
        effects = s["effects"].rstrip(". ")
        criteria.append(
            f"{named(s['name'], s['machine_name'])}: {effects}." if effects else
            f"{named(s['name'], s['machine_name'])} exists with the effects agreed for it."
        )  # fmt: skip
    return story, criteria
