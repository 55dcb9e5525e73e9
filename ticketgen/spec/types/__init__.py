"""The 11 spec file types. `FILE_TYPES` is ordered most specific first: detection breaks ties in that order
(responsive before image styles, displays and view modes before views, transitions and states before
workflows)."""

from __future__ import annotations

from ticketgen.spec.types.bundles import BUNDLES
from ticketgen.spec.types.fields import FIELDS
from ticketgen.spec.types.filetype import FileType, RowIssue
from ticketgen.spec.types.image_styles import IMAGE_STYLES
from ticketgen.spec.types.link import Link, LinkIndex, Ref
from ticketgen.spec.types.responsive_image_styles import RESPONSIVE_IMAGE_STYLES
from ticketgen.spec.types.user_roles import USER_ROLES
from ticketgen.spec.types.view_displays import VIEW_DISPLAYS
from ticketgen.spec.types.view_modes import VIEW_MODES
from ticketgen.spec.types.views import VIEWS
from ticketgen.spec.types.workflow_states import WORKFLOW_STATES
from ticketgen.spec.types.workflow_transitions import WORKFLOW_TRANSITIONS
from ticketgen.spec.types.workflows import WORKFLOWS

FILE_TYPES: tuple[FileType, ...] = (
    RESPONSIVE_IMAGE_STYLES,
    IMAGE_STYLES,
    VIEW_DISPLAYS,
    VIEW_MODES,
    VIEWS,
    WORKFLOW_TRANSITIONS,
    WORKFLOW_STATES,
    WORKFLOWS,
    FIELDS,
    BUNDLES,
    USER_ROLES,
)
TYPE_NAMES: tuple[str, ...] = tuple(t.name for t in FILE_TYPES)
_BY_NAME = {t.name: t for t in FILE_TYPES}


def get(name: str) -> FileType | None:
    """The file type of that name; None for `unknown` or any other name."""
    return _BY_NAME.get(name)


__all__ = [
    "BUNDLES",
    "FIELDS",
    "FILE_TYPES",
    "IMAGE_STYLES",
    "RESPONSIVE_IMAGE_STYLES",
    "TYPE_NAMES",
    "USER_ROLES",
    "VIEWS",
    "VIEW_DISPLAYS",
    "VIEW_MODES",
    "WORKFLOWS",
    "WORKFLOW_STATES",
    "WORKFLOW_TRANSITIONS",
    "FileType",
    "Link",
    "LinkIndex",
    "Ref",
    "RowIssue",
    "get",
]
