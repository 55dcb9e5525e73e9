"""Issue 12 (6): the export reads the project's create screen before it sends anything. Labels went on every
issue whether the screen had them or not (a project without Labels failed every issue), and a required
field the app cannot fill, or an app without Create Issues, surfaced as 176 refusals instead of one
sentence a Jira admin can act on."""

from __future__ import annotations

import pytest

from app.jira import JiraClient, JiraError
from tests.sandbox.conftest import APP_KEY

from .world import World, resolve_once, synthetic_drafts


def test_issues_leave_out_labels_when_the_create_screen_has_none(world: World) -> None:
    world.site.settings(labels_on_screen=False)
    drafts = synthetic_drafts(3, oversized=0)
    batch_id, run_id = world.approved_batch(drafts)
    target, _, prepared = resolve_once(world, batch_id, run_id)
    assert target.screen is not None and "labels" not in target.screen
    assert all("labels" not in p.fields for p in prepared.values())
    site = world.site
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        result = jira.bulk_create([{"fields": p.fields} for p in prepared.values()])
    assert (len(result.created), result.failed) == (3, {})


def test_labels_still_go_where_the_screen_has_them(world: World) -> None:
    batch_id, run_id = world.approved_batch(synthetic_drafts(2, oversized=0))
    _, _, prepared = resolve_once(world, batch_id, run_id)
    assert all(p.fields["labels"] for p in prepared.values())


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (
            {"required_field": "Team"},
            "The create screen for Task issues in project UWEC requires Team (customfield_10100), which the "
            "app cannot fill. Make it optional or give it a default value",
        ),
        (
            {"app_can_create": False},
            "The app may not create issues in project UWEC: Jira lists no issue type it can create there. In "
            "the project's permission scheme, grant Create Issues, Link Issues and Create Attachments to the "
            "atlassian-addons-project-access project role",
        ),
    ],
    ids=["required-field", "no-create-permission"],
)
def test_what_only_a_jira_admin_can_fix_is_said_before_anything_is_sent(
    world: World, settings: dict, said: str
) -> None:
    world.site.settings(**settings)
    batch_id, run_id = world.approved_batch(synthetic_drafts(2, oversized=0))
    with pytest.raises(JiraError) as raised:
        resolve_once(world, batch_id, run_id)
    assert raised.value.kind == "admin" and not raised.value.retryable
    assert raised.value.message.startswith(said), raised.value.message
    assert not any(path.startswith("POST") for path in world.site.stats()["requests"])


def test_a_renamed_blocks_link_type_is_found_by_its_descriptions_and_used(world: World) -> None:
    """A Jira admin may rename "Blocks"; its id and "blocks" / "is blocked by" stay, and Jira refuses the
    old name (`No issue link type with name 'Blocks' found`)."""
    site = world.site
    site.settings(blocks_link_name="Depends")
    batch_id, run_id = world.approved_batch(synthetic_drafts(2, oversized=0))
    target, _, prepared = resolve_once(world, batch_id, run_id)
    assert target.link_type == "Depends"
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        blocker, blocked = jira.bulk_create([{"fields": p.fields} for p in prepared.values()]).created
        with pytest.raises(JiraError, match="No issue link type with name 'Blocks' found"):
            jira.create_link(link_type="Blocks", inward_key=blocker.key, outward_key=blocked.key)
        jira.create_link(link_type=target.link_type, inward_key=blocker.key, outward_key=blocked.key)
    [link] = site.sandbox.state.store.links()
    assert (link.type_id, str(link.inward_id), str(link.outward_id)) == ("10000", blocker.id, blocked.id)
