"""Build and verify on every ticket (issue 10 §5): modules to enable, the admin path, the config objects
the work produces, a `drush` check per criterion config can answer, and the closing export and status; and
the draft JSON contract that carries them (`ticketgen draft DIR --format json`)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import UWEC
from tests.planner.conftest import bundle, draft_of, field, spec_of
from ticketgen.cli import main
from ticketgen.planner import Plan, plan

# Drupal config names: the config prefix of the entity type, then dot-separated machine names
# (ConfigBase::validateName needs a dot and no `: ? * < > " ' / \`; machine names are [a-z0-9_]).
CONFIG_NAME = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)+$")
MODULE = re.compile(r"^[a-z][a-z0-9_]*$")
# Closing steps: pending before export, the export itself, then a clean status (drush's own words).
CLOSING = ["drush config:status", "drush config:export", "drush config:status"]
PENDING = "lists the config objects above as “Only in DB” or “Different”"
EXPORTED = "[success] Configuration successfully exported to <sync directory>."
CLEAN = "No differences between DB and sync directory."


def test_every_uwec_draft_has_build_and_verify_steps(uwec_plan: Plan) -> None:
    for d in uwec_plan.drafts:
        assert d.modules and all(MODULE.match(m) for m in d.modules), (d.key, d.modules)
        assert len(set(d.modules)) == len(d.modules), (d.key, d.modules)
        assert d.admin_path.startswith("/admin/"), (d.key, d.admin_path)
        for entry in d.verify:
            assert set(entry) == {"check", "command", "expect"}, (d.key, entry)
            assert all(isinstance(v, str) and v.strip() for v in entry.values()), (d.key, entry)
            assert entry["command"].startswith("drush "), (d.key, entry)
        commands = [v["command"] for v in d.verify]
        assert commands[-3:] == CLOSING, (d.key, commands)
        assert commands.count("drush config:export") == 1, (d.key, commands)
        assert commands.count("drush config:status") == 2, (d.key, commands)
        pending, exported, clean = (v["expect"] for v in d.verify[-3:])
        assert pending == PENDING if d.config else pending.endswith("as “Only in DB” or “Different”"), d.key
        assert (exported, clean) == (EXPORTED, CLEAN), d.key
        assert not any("config files written" in v["expect"] for v in d.verify), d.key


def test_admin_paths_and_config_names_are_what_drupal_accepts(uwec_plan: Plan) -> None:
    """A name Drupal would refuse (the `*_non-webp` image styles, the `Editorial Access` vocabulary) is an
    open question on the ticket; it never becomes a config object, an admin path or a drush command."""
    bad: list[tuple[str, str]] = []
    for d in uwec_plan.drafts:
        if " " in d.admin_path or d.admin_path != d.admin_path.lower():
            bad.append((d.key, d.admin_path))
        bad += [(d.key, name) for name in d.config if not CONFIG_NAME.match(name)]
        for entry in d.verify:
            if entry["command"].startswith("drush config:get "):
                words = entry["command"].split()
                if len(words) not in (3, 4) or not CONFIG_NAME.match(words[2]):
                    bad.append((d.key, entry["command"]))
    assert not bad, bad


def test_config_lists_each_object_once(uwec_plan: Plan) -> None:
    doubled = {d.key: d.config for d in uwec_plan.drafts if len(set(d.config)) != len(d.config)}
    assert not doubled, doubled


def test_a_draft_without_config_says_why(uwec_plan: Plan) -> None:
    """A ticket that produces no configuration at all is a ticket nobody can verify: it must carry the open
    question that explains it (Reusable Widgets' only field has no machine name)."""
    empty = [d.key for d in uwec_plan.drafts if not d.config and not d.questions]
    assert not empty, empty


def test_fields_config_lists_only_the_storage_this_ticket_creates(uwec_plan: Plan) -> None:
    job = draft_of(uwec_plan, "fields:node.job")
    # field_department's d rows sit on Contact Library and Hours Library, which are still to build (a): the
    # storage is not on the site, so Job's row 184 (Reused Field = n) creates it
    assert "field.storage.node.field_department" in job.config
    assert "field.storage.node.field_campus" not in job.config  # Academic Program's ticket creates it
    assert "field.storage.node.field_meta_description" not in job.config  # reused (y): created elsewhere
    assert "field.field.node.job.field_department" in job.config
    assert "field.field.node.job.field_campus" in job.config
    assert {"field.storage.node.field_job_id", "field.field.node.job.field_job_id"} <= set(job.config)
    # the displays close the field config; then the Metatag defaults Meta Description's note writes to
    # (row 178: "Set as metatag abstract")
    assert job.config[-3:] == [
        "core.entity_form_display.node.job.default",
        "core.entity_view_display.node.job.default",
        "metatag.metatag_defaults.node__job",
    ]
    assert "field.storage.node.field_campus" in draft_of(uwec_plan, "fields:node.academic_program").config
    assert job.admin_path == "/admin/structure/types/manage/job/fields"
    assert {"field_ui", "datetime", "options", "text"} <= set(job.modules)
    checks = {v["command"]: v["expect"] for v in job.verify}
    assert checks["drush config:get field.field.node.job.field_job_id field_type"] == "string"
    assert checks["drush config:get field.field.node.job.field_job_id required"] == "true"


def test_bundle_modules_follow_the_flags(uwec_plan: Plan) -> None:
    """Academic Program: Mod. y, Layout y, Meta y, Srch. y, Sched. n, an alias pattern. Its Layout is met by
    the Layout Paragraphs field “Flex Content”, so Layout Builder stays off; Job (Layout y, no such field)
    turns Layout Builder on in its default view display. Its alias pattern uses field_degree_level, so
    Pathauto and the pattern are the fields ticket's."""
    program = draft_of(uwec_plan, "bundle:node.academic_program")
    program_fields = draft_of(uwec_plan, "fields:node.academic_program")
    assert {"node", "metatag", "search_api"} <= set(program.modules), program.modules
    assert "pathauto" in program_fields.modules
    assert "layout_builder" not in program.modules
    assert "scheduler" not in program.modules
    assert "scheduler" in draft_of(uwec_plan, "bundle:node.news").modules  # Story Library: Sched. y
    # Meta = y is met by the Metatags field; the defaults config is only this ticket's when a note asks for
    # robots values (Fact Library: "Set a metatag for noindex, nofollow, etc", Meta = n)
    assert program.config[:1] == ["node.type.academic_program"]
    assert "pathauto.pattern.academic_program" in program_fields.config
    # its notes name no role, so each role's own row grants it: their config changes here
    assert program.config[1:] == ["user.role.site_admin", "user.role.site_manager", "user.role.editor"]
    assert not any("tags.robots" in v["command"] for v in program.verify)
    fact = draft_of(uwec_plan, "bundle:node.fact")
    assert "metatag.metatag_defaults.node__fact" in fact.config
    assert {v["command"]: v["expect"] for v in fact.verify}[
        "drush config:get metatag.metatag_defaults.node__fact tags.robots"
    ] == "noindex, nofollow"
    assert program.admin_path == "/admin/structure/types/manage/academic_program"
    checks = {v["command"]: v["expect"] for v in program_fields.verify}
    assert (
        checks["drush config:get pathauto.pattern.academic_program pattern"]
        == "academics/programs/[node:field_degree_level]/[node:title]"
    )
    # Job: Layout = y with no Layout Paragraphs field, while the spec's other types get layouts from one:
    # an open question, and Layout Builder is not switched on by assumption
    job = draft_of(uwec_plan, "bundle:node.job")
    assert "layout_builder" not in job.modules, job.modules
    assert not any("layout_builder" in v["command"] for v in job.verify)
    assert "layout_flag_unclear" in {q["code"] for q in job.questions}


def test_paragraph_bundle_builds_its_fields_and_child(uwec_plan: Plan) -> None:
    steps = draft_of(uwec_plan, "bundle:paragraph.steps")
    assert steps.config[0] == "paragraphs.paragraphs_type.steps"
    assert "paragraphs.paragraphs_type.step_item" in steps.config
    assert {"field.storage.paragraph.field_use_icon", "field.field.paragraph.steps.field_use_icon"} <= set(
        steps.config
    )
    assert "field.field.paragraph.step_item.field_icon" in steps.config
    assert "core.entity_form_display.paragraph.step_item.default" in steps.config
    assert "paragraphs" in steps.modules
    assert steps.admin_path == "/admin/structure/paragraphs_type/steps"


def test_other_kinds(uwec_plan: Plan) -> None:
    expected = {
        "user_role:site_admin": ("/admin/people/roles/manage/site_admin", "user.role.site_admin", "user"),
        "image_styles:icon": ("/admin/config/media/image-styles/manage/icon", "image.style.icon", "image"),
        "responsive_image_style:42x42": (
            "/admin/config/media/responsive-image-style/42x42",
            "responsive_image.styles.42x42",
            "responsive_image",
        ),
        "view_modes:node": (
            "/admin/structure/display-modes/view",
            "core.entity_view_mode.node.content_thumbnail",
            "field_ui",
        ),
        "view:news": ("/admin/structure/views/view/news", "views.view.news", "views"),
        "workflow:marketing": (
            "/admin/config/workflow/workflows/manage/marketing",
            "workflows.workflow.marketing",
            "content_moderation",
        ),
        "display:node.academic_program": (
            "/admin/structure/types/manage/academic_program/form-display",
            "core.entity_form_display.node.academic_program.default",
            "field_group",
        ),
    }
    for key, (path, config, module) in expected.items():
        d = draft_of(uwec_plan, key)
        assert (d.admin_path, config in d.config, module in d.modules) == (path, True, True), key
    assert "search_api" in draft_of(uwec_plan, "view:site_search").modules  # base table: Index Content
    workflow = draft_of(uwec_plan, "workflow:marketing")
    entity_types = [v for v in workflow.verify if "type_settings.entity_types" in v["command"]]
    assert (
        entity_types
        == [  # one check of the whole list: a bundle too many fails it as surely as one missing
            {
                "check": "It applies to exactly these node bundles",
                "command": "drush config:get workflows.workflow.marketing type_settings.entity_types.node",
                "expect": "a list of exactly: fact, news, snapshot, testimonial, video_card",
            }
        ]
    )
    flags = {
        v["command"].rpartition(".")[2]: v["expect"]
        for v in workflow.verify
        if "publishing flags" in v["check"]
    }
    assert flags == {
        "draft": "published: false; default_revision: false",
        "review": "published: false; default_revision: false",
        "published": "published: true; default_revision: true",
        "archived": "published: false; default_revision: true",
    }


def test_role_config_only_where_a_note_grants_permissions(uwec_plan: Plan) -> None:
    """ "Site admins can add/edit/delete only" changes the Site Admin role's permissions, so its config object
    is listed; "Node not shown to anonymous users (use a Twig page template …)" is a theme template, which
    changes no role: user.role.anonymous would never show as “Different” in the pending check."""
    announcement = draft_of(uwec_plan, "bundle:node.announcement")
    assert "user.role.site_admin" in announcement.config
    assert "user.role.anonymous" not in announcement.config, announcement.config
    contact = draft_of(uwec_plan, "bundle:node.contact")  # "Add page template to restrict access …"
    assert "user.role.anonymous" not in contact.config, contact.config
    # "Only Site Admin holds …": the role's permissions are checked by machine name
    checks = {v["command"]: v["expect"] for v in announcement.verify}
    assert checks["drush config:get user.role.site_admin permissions"] == (
        "includes: create announcement content, edit any announcement content, delete any announcement content, "
        "access content overview"
    )
    # "Market editors and site admins only" says who, not what: each role gets what its own note allows, so
    # Marketing Editor ("can create library content but cannot edit it") gets create only
    fact = draft_of(uwec_plan, "bundle:node.fact")
    assert {"user.role.marketing_editor", "user.role.site_admin"} <= set(fact.config), fact.config
    checks = {v["command"]: v["expect"] for v in fact.verify}
    assert (
        checks["drush config:get user.role.marketing_editor permissions"] == "includes: create fact content"
    )
    assert checks["drush config:get user.role.site_admin permissions"] == (
        "includes: create fact content, edit any fact content, delete any fact content, access content overview"
    )
    criterion = next(
        c["criterion"]
        for c in fact.facts["clauses"]
        if "Marketing Editor (marketing_editor) holds" in c["criterion"]
    )
    assert "but not the edit or delete permissions" in criterion, criterion


def test_invalid_machine_name_never_reaches_config() -> None:
    article = bundle("Article", "article")
    spec = spec_of(
        bundles=[article],
        fields=[field(article, "Sub title", "field_Sub title"), field(article, "Lede", "field_lede")],
        image_styles=[
            {"Style name": "Card", "Machine name": "card", "X": "a", "Notes": "Scale 400x300"},
            {
                "Style name": "Card Non-WebP",
                "Machine name": "card_non-webp",
                "X": "a",
                "Notes": "Scale 400x300",
            },
        ],
    )
    p = plan(spec)
    article_fields = draft_of(p, "fields:node.article")
    assert article_fields.questions  # the bad name is asked about …
    assert all(CONFIG_NAME.match(c) for c in article_fields.config), article_fields.config  # … not built
    assert "field.field.node.article.field_lede" in article_fields.config
    styles = draft_of(p, "image_styles:card")
    assert {q["code"] for q in styles.questions} == {"invalid_machine_name"}
    assert all(CONFIG_NAME.match(c) for c in styles.config), styles.config
    assert "image.style.card" in styles.config


@pytest.fixture(scope="module")
def uwec_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out: Path = tmp_path_factory.mktemp("draft") / "uwec.json"
    saved = os.environ.pop("ANTHROPIC_API_KEY", None)
    try:
        assert main(["draft", str(UWEC), "--format", "json", "--out", str(out)]) == 0
    finally:
        if saved is not None:
            os.environ["ANTHROPIC_API_KEY"] = saved
    return json.loads(out.read_text("utf-8"))


def test_draft_json_carries_questions_and_build_steps(uwec_json: dict, uwec_plan: Plan) -> None:
    drafts = uwec_json["drafts"]
    assert [d["key"] for d in drafts] == uwec_plan.order
    for d in drafts:
        for key in ("questions", "modules", "admin_path", "config", "verify"):
            assert key in d, (d["key"], key)
        assert all(set(q) == {"code", "message", "rows"} for q in d["questions"]), d["key"]
        assert all(set(r) == {"file", "row"} for q in d["questions"] for r in q["rows"]), d["key"]
        assert isinstance(d["modules"], list) and d["modules"], d["key"]
        assert isinstance(d["admin_path"], str) and d["admin_path"].startswith("/admin/"), d["key"]
        assert isinstance(d["config"], list)
        assert all(set(v) == {"check", "command", "expect"} for v in d["verify"]), d["key"]
        assert [v["command"] for v in d["verify"]][-3:] == CLOSING, d["key"]
    by_key = {d["key"]: d for d in drafts}
    for draft in uwec_plan.drafts:
        mine = by_key[draft.key]
        assert (mine["modules"], mine["admin_path"], mine["config"], mine["verify"]) == (
            draft.modules,
            draft.admin_path,
            draft.config,
            draft.verify,
        ), draft.key
        assert [q["code"] for q in mine["questions"]] == [q["code"] for q in draft.questions], draft.key
    job = by_key["fields:node.job"]
    assert {"widget_not_for_field_type", "list_without_values"} <= {q["code"] for q in job["questions"]}
    assert "needs-decision" in job["labels"]


def test_a_question_withholds_only_the_checks_it_doubts(uwec_plan: Plan) -> None:
    """Hours (Fields row 171) asks whether its type should be Entity Reference Revisions (a Paragraphs widget
    on a plain reference): its type and widget are not asserted, but required and unlimited values are not in
    doubt and are checked."""
    hours = draft_of(uwec_plan, "fields:node.hours")
    field = next(x for x in hours.facts["fields"] if x["machine_name"] == "field_hours")
    assert "widget_not_for_field_type" in field["questions"]
    checks = {v["command"]: v["expect"] for v in hours.verify}
    assert checks["drush config:get field.field.node.hours.field_hours required"] == "true"
    assert checks["drush config:get field.storage.node.field_hours cardinality"] == "-1"
    assert "drush config:get field.field.node.hours.field_hours field_type" not in checks
    assert (
        "field_hours.type"
        not in checks["drush config:get core.entity_form_display.node.hours.default content"]
    )
