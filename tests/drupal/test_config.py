from __future__ import annotations

import pytest

from ticketgen.drupal.config import (
    CONFIG_EXPORT,
    CONFIG_STATUS,
    CONFIG_STATUS_CLEAN,
    admin_path,
    bundle_config,
    config_get,
    config_prefix,
    field_config,
    field_storage_config,
    form_display_config,
    image_style_config,
    responsive_image_style_config,
    role_config,
    view_config,
    view_display_config,
    view_mode_config,
    workflow_config,
)


@pytest.mark.parametrize(
    ("etype", "expected"),
    [
        ("node", "node.type.job"),
        ("media", "media.type.job"),
        ("paragraph", "paragraphs.paragraphs_type.job"),
        ("taxonomy_term", "taxonomy.vocabulary.job"),
        ("block_content", "block_content.type.job"),
    ],
)
def test_bundle_config_names(etype: str, expected: str) -> None:
    assert bundle_config(etype, "job") == expected


def test_field_and_display_config_names() -> None:
    assert field_storage_config("node", "field_y") == "field.storage.node.field_y"
    assert field_config("node", "x", "field_y") == "field.field.node.x.field_y"
    assert form_display_config("node", "x") == "core.entity_form_display.node.x.default"
    assert view_display_config("node", "x", "teaser") == "core.entity_view_display.node.x.teaser"
    assert view_mode_config("node", "teaser") == "core.entity_view_mode.node.teaser"


def test_other_config_names() -> None:
    assert image_style_config("banner") == "image.style.banner"
    assert responsive_image_style_config("hero") == "responsive_image.styles.hero"
    assert role_config("editor") == "user.role.editor"
    assert workflow_config("editorial") == "workflows.workflow.editorial"
    assert view_config("news") == "views.view.news"


def test_unknown_entity_type_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="comment"):
        bundle_config("comment", "x")
    with pytest.raises(ValueError):
        config_prefix("nope")


@pytest.mark.parametrize(
    ("etype", "bundle_path", "field_ui"),
    [
        ("node", "/admin/structure/types/manage/job", "/admin/structure/types/manage/job"),
        ("media", "/admin/structure/media/manage/job", "/admin/structure/media/manage/job"),
        ("paragraph", "/admin/structure/paragraphs_type/job", "/admin/structure/paragraphs_type/job"),
        (
            "taxonomy_term",
            "/admin/structure/taxonomy/manage/job",
            "/admin/structure/taxonomy/manage/job/overview",
        ),
        (
            "block_content",
            "/admin/structure/block-content/manage/job",
            "/admin/structure/block-content/manage/job",
        ),
    ],
)
def test_bundle_admin_paths(etype: str, bundle_path: str, field_ui: str) -> None:
    assert admin_path("bundle", etype=etype, bundle="job") == bundle_path
    assert admin_path("fields", etype=etype, bundle="job") == f"{field_ui}/fields"
    assert admin_path("form_display", etype=etype, bundle="job") == f"{field_ui}/form-display"
    assert admin_path("view_display", etype=etype, bundle="job") == f"{field_ui}/display"
    assert (
        admin_path("view_display", etype=etype, bundle="job", mode="teaser") == f"{field_ui}/display/teaser"
    )
    assert (
        admin_path("field", etype=etype, bundle="job", field="field_y")
        == f"{field_ui}/fields/{etype}.job.field_y"
    )


def test_other_admin_paths() -> None:
    assert admin_path("bundle_add", etype="node") == "/admin/structure/types/add"
    assert admin_path("image_style", id="banner") == "/admin/config/media/image-styles/manage/banner"
    assert (
        admin_path("responsive_image_style", id="hero") == "/admin/config/media/responsive-image-style/hero"
    )
    assert admin_path("view_modes") == "/admin/structure/display-modes/view"
    assert (
        admin_path("view_mode", etype="node", mode="card")
        == "/admin/structure/display-modes/view/manage/node.card"
    )
    assert admin_path("view", id="news") == "/admin/structure/views/view/news"
    assert admin_path("role", id="editor") == "/admin/people/roles/manage/editor"
    assert admin_path("permissions", id="editor") == "/admin/people/permissions/editor"
    assert admin_path("workflow", id="editorial") == "/admin/config/workflow/workflows/manage/editorial"
    with pytest.raises(ValueError):
        admin_path("nowhere")


def test_drush_checks() -> None:
    assert config_get("node.type.job", "name") == "drush config:get node.type.job name"
    assert config_get("node.type.job") == "drush config:get node.type.job"
    assert CONFIG_EXPORT == "drush config:export"
    assert CONFIG_STATUS == "drush config:status"
    assert CONFIG_STATUS_CLEAN == "No differences between DB and sync directory."
