"""What LLM copy may not lose: verify subjects, roles and permissions; and honest titles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.writers.samples import BASELINE, PERMISSION, QUESTION, ROLE, decided_drafts
from ticketgen.writers._facts_check import (
    Keep,
    facts_problem,
    must_keep,
    permissions_named,
    summary_problem,
    verify_subject,
)
from ticketgen.writers._prompt import INSTRUCTIONS, ticket_data
from ticketgen.writers.anthropic import _with_copy


@pytest.mark.parametrize(
    ("command", "subject"),
    [
        ("drush config:get field.storage.node.field_tags type", ("field_tags", "field.storage.node.field_tags")),
        ("drush config:get field.field.node.job.body required", ("body", "field.field.node.job.body")),
        ("drush cget node.type.job new_revision", ("job", "node.type.job")),
        ("drush config:get 'image.style.banner_1x' effects", ("banner_1x", "image.style.banner_1x")),
        ("drush config:get user.role.site_admin label", ("site_admin", "user.role.site_admin")),
        (
            "drush config:get core.entity_form_display.node.job.default content.field_job_id.type",
            ("field_job_id", "core.entity_form_display.node.job.default"),
        ),
        (
            "drush config:get core.entity_view_display.node.job.teaser hidden.body",
            ("body", "core.entity_view_display.node.job.teaser"),
        ),
        (
            "drush config:get core.entity_form_display.node.job.default third_party_settings.field_group",
            ("job", "core.entity_form_display.node.job.default"),
        ),
        ("drush field:info node job field_job_id", ("field_job_id",)),
        ("ddev drush config:get node.type.job", ("job", "node.type.job")),
        ("vendor/bin/drush cget field.storage.node.body type", ("body", "field.storage.node.body")),
        ("drupal config:get node.type.job", ()),
        ("drush config:export", ()),
        ("drush config:status", ()),
        ("", ()),
    ],
)  # fmt: skip
def test_verify_subject_is_the_config_or_field_it_checks(command: str, subject: tuple[str, ...]) -> None:
    assert verify_subject({"check": "It is set", "command": command, "expect": "y"}) == subject


def test_labels_the_check_quotes_count_as_its_subject_too() -> None:
    check = {"check": "The “Outcomes” group holds “What can I do”", "command": "drush cget views.view.x"}
    assert verify_subject(check) == ("x", "views.view.x", "Outcomes", "What can I do")
    keep = [Keep("the checked", verify_subject(check))]
    assert facts_problem(["Manage form display has a field group “outcomes”."], keep) is None
    assert facts_problem(["Manage form display has a field group “Outcome”."], keep) is not None


def test_must_keep_collects_checks_roles_and_permissions() -> None:
    _, fields = decided_drafts()
    keep = must_keep(fields, baseline=BASELINE[1], roles={ROLE, "editor"}, bundles={"event"})
    assert keep == [
        Keep("the checked", ("field_event_summary", "field.storage.node.field_event_summary")),
        Keep("the checked", ("field_event_image", "field.storage.node.field_event_image")),
        Keep("the role", (ROLE,)),
        Keep("the permission", (PERMISSION,)),
    ]


def test_one_word_roles_count_only_next_to_the_word_role() -> None:
    draft = replace(decided_drafts()[1], verify=[])
    prose = ["An editor can fill in the summary."]
    assert must_keep(draft, baseline=prose, roles={"editor"}) == []
    named = ["The editor role can fill in the summary."]
    assert must_keep(draft, baseline=named, roles={"editor"}) == [Keep("the role", ("editor",))]
    assert must_keep(draft, baseline=["Administrators only: the administrator role."]) == [
        Keep("the role", ("administrator",))
    ]


def test_permissions_are_quoted_ones_and_drupals_own_bundle_forms() -> None:
    criteria = [
        "Editors have the “edit terms in tags” permission.",
        'The permission "administer nodes" stays with admins.',
        "Only managers may edit any event content or delete own event content.",
        "Reviewers view all revisions.",  # prose, not a permission
        "Publishing uses `use editorial transition publish` permission.",
    ]
    assert permissions_named(criteria, bundles={"event", "editorial"}) == [
        "edit terms in tags",
        "administer nodes",
        "edit any event content",
        "delete own event content",
        "use editorial transition publish",
    ]
    assert permissions_named(criteria[2:4]) == []  # no bundles known: only quoted permissions count


def test_facts_problem_names_what_the_criteria_leave_out() -> None:
    keep = [
        Keep("the checked", ("field_tags", "field.storage.node.field_tags")),
        Keep("the role", ("site_admin",)),
        Keep("the permission", ("create article content",)),
    ]
    good = [
        "Tags use FIELD.STORAGE.NODE.FIELD_TAGS.",
        "Site_admin has the “Create  Article content” permission.",
    ]
    assert facts_problem(good, keep) is None
    assert facts_problem(["Tags (field_tags) and roles."], keep) == (
        "criteria leave out the role site_admin, the permission create article content"
    )
    assert facts_problem(["field_tags_extra is set; site_admins exist."], keep[:2]) == (
        "criteria leave out the checked field_tags, the role site_admin"
    )
    many = [Keep("the checked", (f"field_{i}",)) for i in range(8)]
    assert facts_problem([], many) == (
        "criteria leave out the checked field_0, the checked field_1, the checked field_2, "
        "the checked field_3, the checked field_4 and 3 more"
    )


@pytest.mark.parametrize(
    ("proposed", "problem"),
    [
        ("Add the Job fields", None),
        ("Add 3 fields to the existing Job content type", None),
        ("Add 4 fields to the existing Job content type", "the proposed summary changes the counts"),
        ("Create 3 fields on the Job content type", "the proposed summary says create for existing things"),
    ],
)
def test_titles_keep_counts_and_verbs(proposed: str, problem: str | None) -> None:
    assert summary_problem("Add 3 fields to the existing Job content type", proposed) == problem


def test_a_refused_title_keeps_the_planners_and_the_rest_of_the_copy() -> None:
    draft = replace(decided_drafts()[1], summary="Add 2 fields to the existing Event content type")
    copy = {"user_story": "As a site admin, I want x so that y.", "success_criteria": ["a", "b"]}
    kept = _with_copy(draft, copy | {"summary": "Create 5 Event fields"})
    assert kept.summary == draft.summary and kept.criteria == ["a", "b"] and kept.writer == "llm"
    assert _with_copy(draft, copy | {"summary": "Add the Event fields"}).summary == "Add the Event fields"
    assert (kept.questions, kept.verify, kept.config, kept.modules, kept.depends_on, kept.labels) == (
        draft.questions, draft.verify, draft.config, draft.modules, draft.depends_on, draft.labels
    )  # fmt: skip


def test_ticket_data_carries_every_fact_the_copy_must_agree_with() -> None:
    _, fields = decided_drafts()
    data = ticket_data(fields, blocks=["view:events"], baseline=BASELINE[1], must_keep=["field_event_image"])
    assert data["open_questions"] == [{"question": QUESTION["message"], "spec_rows": "UWEC_Fields.csv row 3"}]
    assert data["depends_on"] == ["bundle:node.event", f"user_role:{ROLE}"]
    assert data["blocks"] == ["view:events"]
    assert data["baseline_criteria"] == BASELINE[1]
    assert data["build"]["modules"] == ["media_library", "text"]
    assert data["build"]["admin_path"] == "/admin/structure/types/manage/event/fields"
    assert data["build"]["config"] == fields.config
    assert data["build"]["verify"][0] == fields.verify[0]
    assert data["must_keep"] == ["field_event_image"]
    for name in ("open_questions", "baseline_criteria", "build", "must_keep", "depends_on and blocks"):
        assert f"- {name}:" in INSTRUCTIONS
