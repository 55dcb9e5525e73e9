"""Persistence: SQLAlchemy 2 async, SQLite (aiosqlite, default) or PostgreSQL (asyncpg), Alembic migrations.

    store = Store.from_config(config)        # or Store(url=..., secret_key=...)
    await store.migrate()                    # alembic upgrade head; at startup, idempotent, multi-process safe
    ...
    await store.ping() -> bool               # /healthz: database reachable and migrated
    await store.close()                      # or: async with Store(...) as store:

One Store per event loop: asyncpg connections belong to the loop that opened them (a worker thread that
runs its own loop needs its own Store, or must submit coroutines to one shared loop).

Every method is async. Everything tenant-owned takes `tenant_id` first and never sees another tenant's
rows: a batch/run id of tenant B with tenant A's id → None / False / [] (never an exception).
Returns are frozen dataclasses from `app.store.records` (detached, safe to keep and pass between tasks).
Errors raised on purpose: InvalidValue (bad argument: unknown status/field/setting), Conflict (batch state
forbids it), CycleError(Conflict) (.cycle), SecretKeyError (SECRET_KEY missing/wrong). Messages are
user-safe. Timestamps are aware UTC datetimes. Statuses are `status.BatchStatus`/`RunStatus` (StrEnum:
plain strings work too).

Keys: `new_secret_key() -> str`; `load_or_create_secret_key(data_dir) -> str` (file `secret.key`, 0600).
`Store.from_config(cfg)` uses cfg.secret_key; when empty it generates/loads one under data_dir only for the
embedded SQLite default (with DATABASE_URL set, a missing SECRET_KEY is a SecretKeyError).

Tenants (`tenants.py`) — Tenant(id, client_key, shared_secret (decrypted), base_url, display_url,
product_type, oauth_client_id, state, install_generation, installed_at, updated_at, uninstalled_at,
purge_after, settings; .is_active, .status_codes)
    upsert_tenant(client_key, *, shared_secret, base_url, display_url=None, product_type="jira",
                  oauth_client_id=None) -> Tenant      # install/re-install: rotates secret+URLs, state=installed
        # an install after an uninstall raises install_generation (session tokens carry it)
    get_tenant(tenant_id) -> Tenant | None
    get_tenant_by_client_key(client_key) -> Tenant | None   # for JWT `iss`; check .is_active
    set_tenant_state(tenant_id, state, *, purge_after=None) -> Tenant | None
        # "enabled" | "disabled" | "uninstalled" (uninstalled: purge_after defaults to now + 30 days)
    list_tenants(*, states=None) -> list[Tenant]            # system jobs only
    get_settings(tenant_id) -> TenantSettings | None
    update_settings(tenant_id, **changes) -> TenantSettings | None   # validated; InvalidValue names the bad one
    set_slack_secrets(tenant_id, secrets: Mapping[str, str] | None) -> bool   # encrypted blob
    get_slack_secrets(tenant_id) -> dict[str, str]
    claim_install_token(digest, *, until) -> bool   # (`install_tokens.py`) False: already used (replay)
  TenantSettings (settings.py): slack_channel, approvers, approval_required=True, ticketed_codes=(a,w),
  on_hold_codes=(w,), existing_codes=(d,x), labels, issue_type="Task", llm_enabled=True, llm_model="",
  retention_exported_days=30, retention_inactive_days=7; .status_codes -> ticketgen StatusCodes.

Batches (`batches.py`) — Batch(id, tenant_id, project_key, project_id, name, status, revision,
approved_revision, created_by, submitted_by/_name/_at, approved_by/_at, rejected_by/_at, reject_reason, created_at,
updated_at, last_activity_at, exported_at, slack_channel, slack_ts, writer, usage: Usage;
.changed_since_approval)
    create_batch(tenant_id, *, project_key, project_id, name, created_by=None) -> Batch   # status uploaded
    get_batch(tenant_id, batch_id) -> Batch | None
    list_batches(tenant_id, *, project_key=None, statuses=None, limit=100) -> list[Batch]  # newest first
    update_batch(tenant_id, batch_id, **fields) -> Batch | None   # name, slack_channel, slack_ts, writer
    transition(tenant_id, batch_id, *, to, expect: set[str], if_revision=None, **fields) -> bool
        # compare-and-set, atomic on both backends; life cycle = status.TRANSITIONS (illegal expect→to:
        # InvalidValue). Entering approved records approved_revision/approved_at, exported sets
        # exported_at, an editing state clears approved_*. if_revision: also require that revision.
    begin_export(tenant_id, batch_id) -> bool   # approved → exporting only if revision == approved_revision
    submit(tenant_id, batch_id, *, by, by_name=None) -> bool # drafted|rejected → awaiting_approval
    approve(tenant_id, batch_id, *, by, revision=None, expect={"awaiting_approval"}) -> bool
        # records approved_revision = current revision; with `revision`, fails if drafts changed since
    reject(tenant_id, batch_id, *, by, reason) -> bool            # awaiting_approval → rejected
    add_usage(tenant_id, batch_id, usage: Usage) -> bool
    delete_batch(tenant_id, batch_id) -> bool                     # cascades; audit events stay

Files and findings (`files.py`) — StoredFile(id, batch_id, position, name, detected_type, confidence,
override_type, size, row_count, error_count, warning_count, content; .type = override or detected)
    add_files(tenant_id, batch_id, files: Sequence[tuple[str, bytes]]) -> list[StoredFile] | None
    list_files(tenant_id, batch_id, *, with_content=False) -> list[StoredFile]   # upload order
    set_file_type(tenant_id, batch_id, name, type: str | None) -> bool   # override; None = back to detected
    save_validation(tenant_id, batch_id, spec: Spec | CheckSummary, *, expect=None) -> bool
        # file types/counts + replaces all findings; with `expect`, also → invalid|validated from those only
    create_checked_batch(tenant_id, *, project_key, project_id, name, created_by=None, files, spec) -> Batch
        # (`uploads.py`) an upload in one transaction: batch (validated|invalid), files, findings and its
        # "batch.created" audit event; a crash mid-way leaves nothing
    list_findings(tenant_id, batch_id, *, severity=None, file=None, offset=0, limit=None) -> list[Finding]
    count_findings(tenant_id, batch_id, *, severity=None, file=None) -> int
  (`file_changes.py`, records in `records.py`) FileChange(batch, replaced: (Replaced(name, old_size, new_size), …), added, removed,
  drafts_discarded)
    file_states(tenant_id, batch_id) -> list[(name, size, override_type)]   # what a check reads
    change_files(tenant_id, batch_id, *, seen, put=(), remove=(), types=None, spec, actor, position=None,
                 expect=status.FILES_CHANGEABLE) -> FileChange | None
        # put replaces by name or adds (at `position`); types: {name: chosen type | None}; `spec` = check
        # of the result; one transaction:
        # status → invalid|validated (CAS on `expect`, Conflict otherwise), files still `seen` (else
        # Conflict), drafts and dependencies discarded, revision + 1, "batch.files_changed" audited
    delete_checked_batch(tenant_id, batch_id, *, expect, actor) -> bool
        # only in `expect` and with no export record (the trace of created issues); audits "batch.deleted"
    has_export_records(tenant_id, batch_id) -> bool

Drafts and dependencies (`drafts.py`, `dependencies.py`) — StoredDraft(batch_id, key, kind, position, included, summary,
user_story, criteria, tables, notes, labels, sources, facts, questions, modules, admin_path, config, verify,
writer, updated_at, updated_by, depends_on, category, estimate; .to_draft() -> ticketgen Draft);
Dependency(blocker_key, blocked_key, manual). questions/modules/admin_path/config/verify are planner facts:
no user edit changes them. category/estimate are the planner's (None for drafts stored before 0009).
    replace_drafts(tenant_id, batch_id, drafts: Sequence[Draft]) -> int | None
        # planner output, IN EXPORT ORDER; auto dependencies from Draft.depends_on; manual ones kept when
        # both ends survive (and no cycle). Bumps revision. Returns the new revision.
    write_drafts(tenant_id, batch_id, drafts: Sequence[Draft]) -> int | None
        # writer output for existing keys (summary, user_story, criteria, notes, labels, writer, facts,
        # questions, modules, admin_path, config, verify); no status check (jobs call it while drafting).
        # Bumps revision once.
    list_drafts(tenant_id, batch_id, *, included_only=False, offset=0, limit=None) -> list[StoredDraft]
    count_drafts(tenant_id, batch_id) -> int
    get_draft(tenant_id, batch_id, key) -> StoredDraft | None
    load_drafts(tenant_id, batch_id) -> list[Draft]   # included only, export order, depends_on among them
    update_draft(tenant_id, batch_id, key, *, by=None, **fields) -> StoredDraft | None
        # user edit: summary, user_story, criteria, notes, labels. Bumps revision; Conflict unless status
        # in status.EDITABLE; awaiting_approval/approved go back to drafted (approval withdrawn).
    set_included(tenant_id, batch_id, key, included: bool, *, by=None) -> StoredDraft | None  # same rules
    list_dependencies(tenant_id, batch_id) -> list[Dependency]
    add_dependency(tenant_id, batch_id, blocker_key, blocked_key) -> bool  # manual; CycleError; same rules
    remove_dependency(tenant_id, batch_id, blocker_key, blocked_key) -> bool            # same rules

Runs / progress (`runs.py`) — Run(id, tenant_id, batch_id, kind "draft"|"export", status queued|running|
succeeded|failed|cancelled, done, total, phase, message, errors, cancel_requested, attempts, created_by,
created_at, started_at, updated_at, finished_at, result; .finished)
    create_run(tenant_id, batch_id, kind, *, total=0, created_by=None) -> Run | None
        # idempotent: returns the batch's unfinished run of that kind if there is one
    get_run(tenant_id, run_id) -> Run | None
    list_runs(tenant_id, batch_id, *, kind=None) -> list[Run]     # newest first
    latest_run(tenant_id, batch_id, kind=None) -> Run | None
    queue_run(tenant_id, batch_id, kind, *, queue, created_by=None, to=None, expect=(), if_revision=None,
              **fields) -> Run | None
        # the run, `queue(run)` (sends its message) and, with `to`, the status change: one transaction, all or
        # nothing (an approval never exists without its export run); None when the status is not in `expect`
    start_run(tenant_id, run_id, *, batch_id=None) -> Run | None   # queued|running → running, attempts+1;
        # None if finished; with batch_id it waits for a queue_run still committing that run
    update_progress(tenant_id, run_id, *, done=None, total=None, phase=None, message=None,
                    error: dict | None = None) -> Run | None   # error is appended; check .cancel_requested
    request_cancel(tenant_id, run_id) -> bool
    finish_run(tenant_id, run_id, *, status, result=None, message=None) -> bool   # once only
    list_unfinished_runs() -> list[Run]             # all tenants: worker startup recovery
    list_stranded_exports() -> list[Batch]          # approved/exporting, no unfinished export run: the same

Export records (`exports.py`, exactly-once) — ExportRecord(draft_key, state intent|created|failed,
issue_key, issue_id, after_key, attempt, chunk, links_at_creation, error, attachment_state none|pending|
uploaded|replaced|failed, attachment_id, updated_at, sent); ExportLink(blocker_key, blocked_key, state, error,
updated_at). `sent`: what Jira got (`ticketgen.resync.Exported` as JSON), for a later re-sync
  (the writes return False when the batch is not this tenant's)
    record_intent(tenant_id, batch_id, draft_keys, *, chunk=None, links_at_creation=False,
                  after_key=None) -> bool
        # commit BEFORE the bulk request; never downgrades a created record; attempt += 1; after_key: the
        # project's newest issue key known before the request (its issues can only come after it)
    mark_created(tenant_id, batch_id, issues: Mapping[draft_key, tuple[issue_key, issue_id]], *,
                 sent: Mapping[draft_key, json] | None = None) -> bool   # sent: in the same write
    mark_failed(tenant_id, batch_id, draft_key, *, error) -> bool      # never downgrades created
    list_export_records(tenant_id, batch_id) -> dict[str, ExportRecord]
        # state intent = outcome unknown → read the keys after after_key back (bulkfetch) before creating again
    set_attachment(tenant_id, batch_id, draft_key, *, state, attachment_id=None, error=None) -> bool
    mark_links(tenant_id, batch_id, links: Iterable[tuple[blocker, blocked]], *, state, error=None) -> bool
    list_export_links(tenant_id, batch_id) -> dict[tuple[str, str], ExportLink]

Re-sync (`resync.py`, issue 15)
    resync_source(tenant_id, project_key, draft_keys, *, other_than) -> str | None
        # the earlier batch whose records hold the most of these drafts' issues (newest on a tie)
    set_resync_plan(tenant_id, batch_id, plan_json, *, expect=None) -> bool   # and existing_issues = "resync";
        # expect: only while the batch is in one of these states
    resync_plan(tenant_id, batch_id) -> str | None
    seed_resync(tenant_id, batch_id, issues: Mapping[draft_key, (state kept|update, issue_key, issue_id,
                sent)], links) -> bool   # one transaction: a crash never leaves a draft unrecorded
    note_intent / note_done(tenant_id, batch_id, step, *, error=None) -> bool   # a comment, labels, an unlink
    list_notes(tenant_id, batch_id) -> dict[step, (state intent|done, attempts)]

Audit (`audit.py`) — AuditEvent(id, tenant_id, batch_id, actor, action, detail, at)
    audit(tenant_id, action, *, actor, batch_id=None, detail=None) -> None
    list_audit(tenant_id, *, batch_id=None, limit=200) -> list[AuditEvent]   # newest first

Retention (`retention.py`, system jobs)
    batches_past_retention(*, now=None, tenant_id=None) -> list[Batch]
        # exported longer than retention_exported_days, or never exported and inactive longer than
        # retention_inactive_days (per tenant settings), or an upload left in `uploaded` for an hour (an
        # older version's crash); drafting/exporting batches are never selected
    purge_expired_batches(*, now=None, tenant_id=None) -> list[Batch]   # deletes them, audits "batch.purged"
    tenants_due_for_purge(*, now=None) -> list[Tenant]  # uninstalled and purge_after passed
    purge_tenant(tenant_id) -> bool   # only if still uninstalled: deletes all its data incl. audit + row
"""

from .crypto import SecretKeyError, load_or_create_secret_key, new_secret_key
from .errors import Conflict, CycleError, InvalidValue, StoreError
from .records import (
    AuditEvent,
    Batch,
    Dependency,
    ExportLink,
    ExportRecord,
    Run,
    StoredDraft,
    StoredFile,
    Tenant,
)
from .settings import TenantSettings
from .status import BatchStatus, ExistingMode, ExportState, RunStatus, TenantState
from .store import Store

__all__ = [
    "AuditEvent",
    "Batch",
    "BatchStatus",
    "Conflict",
    "CycleError",
    "Dependency",
    "ExistingMode",
    "ExportLink",
    "ExportRecord",
    "ExportState",
    "InvalidValue",
    "Run",
    "RunStatus",
    "SecretKeyError",
    "Store",
    "StoreError",
    "StoredDraft",
    "StoredFile",
    "Tenant",
    "TenantSettings",
    "TenantState",
    "load_or_create_secret_key",
    "new_secret_key",
]
