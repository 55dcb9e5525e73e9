from __future__ import annotations

import re

from ticketgen.spec.model import Row
from ticketgen.spec.types.filetype import FileType

_VARIANT = re.compile(r"\s+(?:\d+(?:\.\d+)?x|non[- ]?webp)\s*$", re.IGNORECASE)


def family(label: str) -> str:
    """The style family a label belongs to: `42x42 1.5x`, `42x42 2x`, `42x42 Non-WebP` → `42x42`."""
    label = " ".join(label.split())
    while (stripped := _VARIANT.sub("", label)) != label:
        label = stripped
    return label


class ImageStyles(FileType):
    def family(self, row: Row) -> str:
        return family(self.label(row))


IMAGE_STYLES = ImageStyles(
    name="image_styles",
    headers=("Style name", "Machine name"),
    required=("Style name", "Machine name"),
    key=("Machine name",),
    ticket_kind="image_styles",
    filename_hints=("imagestyle",),
    label_column="Style name",
    # Drupal's machine-name form element accepts only [a-z0-9_]: `42x42_non-webp` cannot be typed in.
)
