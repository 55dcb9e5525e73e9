"""Every actor, for `dramatiq jobs.actors --processes N --threads M` (the broker is set first)."""

from jobs import broker as _broker  # noqa: F401 - must come first: actors bind the broker when declared
from jobs.cleanup import cleanup
from jobs.draft import draft_batch
from jobs.export import export_batch
from jobs.notify import notify
from jobs.purge import purge

__all__ = ["cleanup", "draft_batch", "export_batch", "notify", "purge"]
