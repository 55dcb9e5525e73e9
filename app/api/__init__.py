"""JSON API for the panel. `routes` is the whole table; `app.main.routes()` registers it.

Project routes authenticate with the page's session token (`Authorization: Bearer …`) or a Jira context
JWT for that project; the settings routes need the configure page's admin session.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app.api import (
    batch_files,
    batches,
    drafts,
    existing,
    exports,
    page_context,
    plan,
    previews,
    resync,
    reviews,
    runs,
    settings,
)

PROJECT = "/api/projects/{project_key}"
BATCH = PROJECT + "/batches/{batch_id}"

upload_route = Route(PROJECT + "/batches", batches.create_batch, methods=["POST"])
# Adding or replacing files streams a multipart body under the same limits as an upload.
files_route = Route(BATCH + "/files", batch_files.put_files, methods=["POST"])
upload_routes = (upload_route, files_route)

routes: list[BaseRoute] = [
    Route(PROJECT + "/page-context", page_context.page_context, methods=["GET"]),
    Route(PROJECT + "/batches", batches.list_batches, methods=["GET"]),
    upload_route,
    Route(BATCH, batches.batch_status, methods=["GET"]),
    Route(BATCH, batch_files.delete_batch, methods=["DELETE"]),
    Route(BATCH + "/files", batches.list_files, methods=["GET"]),
    files_route,
    Route(BATCH + "/files/{file_name}", batch_files.file_content, methods=["GET"]),
    Route(BATCH + "/files/{file_name}", batch_files.remove_file, methods=["DELETE"]),
    Route(BATCH + "/files/{file_name}/type", batches.set_file_type, methods=["PUT"]),
    Route(BATCH + "/findings", batches.list_findings, methods=["GET"]),
    Route(BATCH + "/findings.csv", batches.findings_csv, methods=["GET"]),
    Route(BATCH + "/review", reviews.spec_review, methods=["GET"]),
    Route(BATCH + "/review.md", reviews.spec_review_md, methods=["GET"]),
    Route(BATCH + "/drafting", batches.generate_drafts, methods=["POST"]),
    Route(BATCH + "/drafts", drafts.list_drafts, methods=["GET"]),
    Route(BATCH + "/drafts/{draft_key}", drafts.get_draft, methods=["GET"]),
    Route(BATCH + "/drafts/{draft_key}", drafts.edit_draft, methods=["PATCH"]),
    Route(BATCH + "/dependencies", drafts.list_dependencies, methods=["GET"]),
    Route(BATCH + "/dependencies", drafts.add_dependency, methods=["POST"]),
    Route(BATCH + "/dependencies", drafts.remove_dependency, methods=["DELETE"]),
    Route(BATCH + "/existing", existing.existing_issues, methods=["GET"]),
    Route(BATCH + "/resync", resync.make_plan, methods=["POST"]),
    Route(BATCH + "/resync", resync.get_plan, methods=["GET"]),
    Route(BATCH + "/resync", resync.settle_conflicts, methods=["PATCH"]),
    Route(BATCH + "/plan", plan.get_plan, methods=["GET"]),
    Route(BATCH + "/plan", plan.edit_plan, methods=["PATCH"]),
    Route(BATCH + "/plan/users", plan.search_users, methods=["GET"]),
    Route(BATCH + "/plan/sprints", plan.list_sprints, methods=["GET"]),
    Route(BATCH + "/submit", batches.submit, methods=["POST"]),
    Route(BATCH + "/withdraw", batches.withdraw, methods=["POST"]),
    Route(BATCH + "/decision", batches.decide, methods=["POST"]),
    Route(BATCH + "/drafts/{draft_key}/preview", previews.draft_preview, methods=["GET"]),
    Route(BATCH + "/runs/{run_id}/cancel", runs.cancel_run, methods=["POST"]),
    Route(BATCH + "/export", exports.export_status, methods=["GET"]),
    Route(BATCH + "/export", exports.resume_export, methods=["POST"]),
    Route("/api/settings", settings.get_settings, methods=["GET"]),
    Route("/api/settings", settings.put_settings, methods=["PUT"]),
]
