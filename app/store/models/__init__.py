"""ORM tables. Import from here so `Base.metadata` always holds every table (Alembic relies on it)."""

from .audit import AuditEventRow
from .base import Base
from .batches import BatchRow
from .drafts import DependencyRow, DraftRow
from .exports import ExportLinkRow, ExportRecordRow, ResyncNoteRow
from .files import FindingRow, SpecFileRow
from .install_tokens import UsedInstallTokenRow
from .runs import RunRow
from .slack import slack_bots, slack_installations, slack_oauth_states
from .tenants import TenantRow

__all__ = [
    "AuditEventRow",
    "Base",
    "BatchRow",
    "DependencyRow",
    "DraftRow",
    "ExportLinkRow",
    "ExportRecordRow",
    "FindingRow",
    "ResyncNoteRow",
    "RunRow",
    "SpecFileRow",
    "TenantRow",
    "UsedInstallTokenRow",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
