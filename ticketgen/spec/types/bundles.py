from __future__ import annotations

from collections.abc import Hashable

from ticketgen.spec._utils import norm
from ticketgen.spec.entity import entity_type_id
from ticketgen.spec.model import Row
from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.link import Link

FLAGS = ("Mod.", "Layout", "Trns.", "Migr.", "Meta", "Sched.", "Srch.")


class Bundles(FileType):
    def entity_type(self, row: Row) -> str | None:
        """Drupal entity type id of the bundle (`node`, `media`…), from the `Type` column."""
        return entity_type_id(row.get("Type"))

    def flag(self, row: Row, column: str) -> bool:
        """A y/n flag column (`Mod.`, `Layout`…) read as a boolean; anything but `y`/`yes` is False."""
        return row.get(column).lower() in {"y", "yes"}

    def key_cells(self, row: Row) -> tuple[tuple[str, str], ...]:
        return (("Type", row.get("Type")), ("Machine name", row.get("Machine name")))

    def key(self, row: Row) -> tuple[str, ...]:
        return (self.entity_type(row) or norm(row.get("Type")), norm(row.get("Machine name")))


BUNDLES = Bundles(
    name="bundles",
    headers=("Name", "Machine name", "Type", "URL alias pattern", "Settings/notes", *FLAGS),
    required=("Name", "Machine name", "Type"),
    key=("Type", "Machine name"),
    ticket_kind="bundle",
    filename_hints=("bundle", "contenttype", "entitytype", "vocabular", "paragraphtype", "mediatype"),
    label_column="Name",
    machine_name_max=32,
)


class LinkToBundles(Link):
    """Bundle names and machine names are unique only within an entity type, so targets are scoped by it."""

    def target_scope(self, row: Row) -> Hashable:
        return BUNDLES.entity_type(row)
