"""Image style families whose sizes disagree.

A family is a 1x style and its variants for high-density screens and browsers without WebP (`42x42`,
`42x42_1_5x`, `42x42_2x`, `42x42_non-webp`); a responsive image style serves them in place of each other,
so a 1.5x or 2x variant must be 1.5 or 2 times the 1x size and a Non-WebP copy the same size. The size a
style really has is the one its Notes set ("Focal point scale and crop to 786x524"); a variant's name
carries its family's 1x size, not its own. Rounding to the nearest pixel is fine (1.5 × 393 = 590).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ticketgen.planner.index import SpecIndex
from ticketgen.review.base import Question, question
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.types.image_styles import family

TOPIC = "image_styles"
CODE = "image_style_size_mismatch"
NOTES = "Notes"

_PIXELS = re.compile(r"(?<![\d.])(\d{1,5})\s*(?:px)?\s*[x×]\s*(\d{1,5})(?![\d.])", re.IGNORECASE)
_SQUARE = re.compile(r"\bwidth and height (?:to )?(\d{1,5})\b", re.IGNORECASE)
_WIDTH = re.compile(r"\bwidth (?:to )?(\d{1,5})\b", re.IGNORECASE)
_MACHINE_VARIANT = re.compile(r"_(?:(\d+)(?:_(\d+))?x|non[_-]?webp)$")
_LABEL_VARIANT = re.compile(r"\s+(?:(\d+(?:\.\d+)?)x|non[- ]?webp)\s*$", re.IGNORECASE)
_RATIO_MAX = 32  # "16x9" in a name is an aspect ratio, not pixels


@dataclass(frozen=True, slots=True)
class Size:
    width: int
    height: int | None
    text: str  # as a person writes it: "786x524", "width 480"


@dataclass(frozen=True, slots=True)
class Style:
    file: SpecFile
    row: Row
    label: str
    machine_name: str
    family: str
    multiplier: float  # 1 for the 1x style and its Non-WebP copy
    non_webp: bool

    @property
    def base(self) -> bool:
        return self.multiplier == 1 and not self.non_webp


def notes_size(notes: str) -> Size | None:
    """The one size the notes set; None when they set none or several."""
    sizes = {(int(w), int(h)) for w, h in _PIXELS.findall(notes)}
    if len(sizes) == 1:
        width, height = sizes.pop()
        return Size(width, height, f"{width}x{height}")
    if sizes:
        return None
    if match := _SQUARE.search(notes):
        side = int(match[1])
        return Size(side, side, f"{side}x{side}")
    widths = {int(w) for w in _WIDTH.findall(notes)}
    if len(widths) == 1:
        width = widths.pop()
        return Size(width, None, f"width {width}")
    return None


def name_size(label: str) -> Size | None:
    sizes = {(int(w), int(h)) for w, h in _PIXELS.findall(label)}
    if len(sizes) != 1:
        return None
    width, height = sizes.pop()
    return Size(width, height, f"{width}x{height}")


def styles(index: SpecIndex) -> list[Style]:
    found = []
    for file, row in index.spec.rows_of("image_styles"):
        label, machine_name = row.get("Style name"), row.get("Machine name")
        if not (label or machine_name):
            continue
        family_key, multiplier, non_webp = _variant(label, machine_name)
        found.append(Style(file, row, label, machine_name, family_key, multiplier, non_webp))
    return found


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_questions(index), *_unknown_sizes(index), *_unknown_boxes(index)]


_SIZE_SHEETS = ("image_styles", "responsive_image_styles", "view_modes")
_RENDERING = re.compile(r"\b(?:crop|render|display|shown?|scale|resize)\w*\b[^.]{0,40}$", re.IGNORECASE)


def _unknown_sizes(index: SpecIndex) -> Iterator[Question]:
    """A field note renders or crops to a size no image style, responsive style or view mode has ("crop
    the image to 974x492" where the styles say 874x492): the builder cannot pick a style for it."""
    if not any(index.spec.files_of(sheet) for sheet in _SIZE_SHEETS):
        return
    known: set[tuple[int, int]] = set()
    for sheet in _SIZE_SHEETS:
        for _, row in index.spec.rows_of(sheet):
            for cell in row.cells.values():
                known |= {(int(w), int(h)) for w, h in _PIXELS.findall(cell)}
    for file, row in index.spec.rows_of("fields"):
        if not index.ticketed(row):
            continue
        for column in ("Settings/notes", "Help text"):
            text = row.get(column)
            for m in _PIXELS.finditer(text):
                size = (int(m.group(1)), int(m.group(2)))
                if size in known or max(size) <= _RATIO_MAX:
                    continue
                if column == "Help text" and not _RENDERING.search(text[: m.start()]):
                    continue  # "Optimal image size: 1920x1445" is what to upload, not a style
                near = min(known, key=lambda k: abs(k[0] - size[0]) + abs(k[1] - size[1]), default=None)
                nearest = f" The nearest size the spec defines is {near[0]}x{near[1]}." if near else ""
                yield question(
                    "size_undefined",
                    topic=TOPIC,
                    file=file.name,
                    row=row.number,
                    column=column,
                    value=text,
                    message=f"“{row.get('Field label')}” names {size[0]}x{size[1]}, but no image style, responsive "
                    f"image style or view mode has that size.{nearest}",
                    hint="Correct the size to one the image styles define, or add the image style.",
                    suggestions=(f"{near[0]}x{near[1]}",) if near else (),
                )


# "Scale wdith/height to 200x200", "Scale width 480 upscaling allowed": a style that fits, never crops
_SCALE_ONLY = re.compile(r"^\s*scale\b(?! and crop)[^,.]*?\b(?P<size>\d+\s*x\s*\d+|\d+)", re.I)
_DENSITY = re.compile(r"\b\d(?:\.\d)?x\b", re.I)
# "scale it to fit in a 200px, 400px or 600px box": square boxes a scale effect would need
_BOXES = re.compile(
    r"\bfit (?:in|into|within) an? (?P<sizes>(?:\d+\s*px(?:,\s*|,?\s*(?:or|and)\s*)?)+) box", re.I
)


def _unknown_boxes(index: SpecIndex) -> Iterator[Question]:
    """A help text that scales images into pixel boxes no image style has: the builder would have to invent
    the styles (or map them to others, whose sizes then break the promise)."""
    lengths = {  # what the base (1x) scale-only styles fit images into
        int(n)
        for _, row in index.spec.rows_of("image_styles")
        if (scale := _SCALE_ONLY.match(row.get("Notes"))) and not _DENSITY.search(row.get("Style name"))
        for n in re.findall(r"\d+", scale.group("size"))
    }
    if not index.spec.files_of("image_styles"):
        return
    for file, row in index.spec.rows_of("fields"):
        text = " ".join(f"{row.get('Settings/notes')} {row.get('Help text')}".split())
        m = _BOXES.search(text)
        if not m or not index.ticketed(row):
            continue
        boxes = [int(n) for n in re.findall(r"\d+", m.group("sizes"))]
        missing = [n for n in boxes if n not in lengths]
        if not missing:
            continue
        column = "Help text" if m.group(0) in " ".join(row.get("Help text").split()) else "Settings/notes"
        yield question(
            "box_size_undefined",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column=column,
            value=row.get(column),
            message=f"“{row.get('Field label')}” scales images to fit {', '.join(f'{n}px' for n in boxes)} boxes "
            f"without cropping, but no scale-only image style fits {' or '.join(f'{n}px' for n in missing)}: which "
            "styles render those sizes (to be added to the image styles sheet)?",
            hint="Add an image style (Scale, no upscaling) for each box, or name the existing styles meant.",
        )


def _questions(index: SpecIndex) -> Iterator[Question]:
    all_styles = styles(index)
    bases: dict[str, Style] = {}
    for style in all_styles:
        if style.base:
            bases.setdefault(style.family, style)
    for style in all_styles:
        base = bases.get(style.family)
        if not style.base and base is not None and base is not style:
            ticketed = index.ticketed(style.row) or index.ticketed(base.row)
            found = _variant_mismatch(style, base) if ticketed else None
        else:
            ticketed = style.multiplier == 1 and index.ticketed(style.row)
            found = _name_mismatch(style) if ticketed else None
        if found is not None:
            yield found


def _variant(label: str, machine_name: str) -> tuple[str, float, bool]:
    """(family key, multiplier, Non-WebP) from the machine name, the label's own words winning."""
    multiplier, non_webp = 1.0, False
    name = machine_name.strip().lower()
    while match := _MACHINE_VARIANT.search(name):
        if match[1]:
            multiplier = int(match[1]) + (int(match[2]) / 10 ** len(match[2]) if match[2] else 0)
        else:
            non_webp = True
        name = name[: match.start()]
    text = " ".join(label.split())
    while match := _LABEL_VARIANT.search(text):
        if match[1]:
            multiplier = float(match[1])
        else:
            non_webp = True
        text = text[: match.start()]
    return (name or family(label).casefold()), multiplier, non_webp


def _own_size(style: Style) -> Size | None:
    return notes_size(style.row.get(NOTES)) or (name_size(style.label) if style.base else None)


def _variant_mismatch(style: Style, base: Style) -> Question | None:
    size, base_size = notes_size(style.row.get(NOTES)), _own_size(base)
    if size is None or base_size is None:
        return None
    m = style.multiplier
    width = base_size.width * m
    height = base_size.height * m if base_size.height is not None else None
    wrong = abs(size.width - width) >= 1 or (
        height is not None and size.height is not None and abs(size.height - height) >= 1
    )
    if not wrong:
        return None
    expected = _text(width, height if size.height is not None else None)
    times = "the same size as" if m == 1 else f"{_times(m)} ×"
    what = "Non-WebP copy" if style.non_webp and m == 1 else f"{_times(m)}x variant"
    fix = f"Change the {what}'s size to {expected}, or correct the 1x size (row {base.row.number}) if that "
    fix += "is the wrong one."
    message = (
        f"Image style '{style.label}' sets {size.text}, but as the {what} of '{base.label}' it must be "
        f"{times} {base_size.text}{'' if m == 1 else f' = {expected}'}. {fix}"
    )
    return question(
        CODE,
        topic=TOPIC,
        file=style.file.name,
        row=style.row.number,
        column=NOTES,
        value=style.row.get(NOTES),
        message=message,
        hint=fix,
        also=[(base.file.name, base.row.number)],
        suggestions=(expected,),
    )


def _name_mismatch(style: Style) -> Question | None:
    """A 1x style (or its Non-WebP copy) named for one size whose notes set another. Only when label and
    machine name agree: when they do not, the names family asks."""
    named, size = name_size(style.label), notes_size(style.row.get(NOTES))
    if named is None or size is None or size.height is None or named.height is None:
        return None
    if _digits(style.label) != _digits(style.machine_name):
        return None
    if named.width <= _RATIO_MAX and named.height <= _RATIO_MAX:
        return None
    if (named.width, named.height) == (size.width, size.height):
        return None
    fix = f"Make the name and the notes agree: rename the style to {size.text}, or change the notes to "
    fix += f"{named.text}."
    message = f"Image style '{style.label}' is named for {named.text}, but its notes set {size.text}. {fix}"
    return question(
        CODE,
        topic=TOPIC,
        file=style.file.name,
        row=style.row.number,
        column=NOTES,
        value=style.row.get(NOTES),
        message=message,
        hint=fix,
    )


def _digits(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _times(m: float) -> str:
    return f"{m:g}"


def _text(width: float, height: float | None) -> str:
    w = _round(width)
    return f"{w}x{_round(height)}" if height is not None else f"width {w}"


def _round(value: float) -> int:
    return math.floor(value + 0.5)
