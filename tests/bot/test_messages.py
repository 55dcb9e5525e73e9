"""The Block Kit builders alone: what an approver reads, and that Slack would accept every message."""

from __future__ import annotations

import dataclasses
import json

from bot import messages, refusals, reject_form
from bot._utils import key_range, parse_value
from bot.ports import BatchView, CreatedIssue, ExportSummary, FailedDraft, Progress
from tests.peers.slack_server import check_message, iter_texts

VIEW = BatchView(
    tenant_id="t1",
    batch_id="b1",
    name="UWEC site build",
    project_key="UWEC",
    status="awaiting_approval",
    revision=7,
    submitted_by="Dana Director",
    counts_by_kind={"fields": 12, "bundle": 12, "view": 3},
    warnings=4,
    panel_url="https://example.atlassian.net/projects/UWEC?selectedItem=x",
    issues_url="https://example.atlassian.net/issues/?jql=x",
    channel="C1",
    approvers=("U1",),
    slack_channel="C1",
    slack_ts="1.1",
)


def text_of(message: messages.Message) -> str:
    return "\n".join(iter_texts(message.blocks))


def mrkdwn_of(message: messages.Message) -> str:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.blocks)
    return "\n".join(found)


def test_approval_request_carries_everything_an_approver_needs() -> None:
    message = messages.approval_request(VIEW)
    text = text_of(message)
    for expected in (
        "UWEC site build",
        "UWEC",
        "Dana Director",
        "27 tickets",
        "12 bundles",
        "12 field sets",
        "3 views",
        "4 warnings",
        "Approve",
        "Reject",
        "Open in Jira",
    ):
        assert expected in text, expected
    # kinds in export order, bundles before field sets before views
    assert text.index("12 bundles") < text.index("12 field sets") < text.index("3 views")
    buttons = {e["action_id"]: e for b in message.blocks if b["type"] == "actions" for e in b["elements"]}
    assert buttons[messages.APPROVE]["confirm"]["confirm"]["text"] == "Approve and create"
    assert "27 Jira issues" in buttons[messages.APPROVE]["confirm"]["text"]["text"]
    assert buttons[messages.OPEN_PANEL]["url"] == VIEW.panel_url
    value = parse_value(buttons[messages.APPROVE]["value"])
    assert value is not None and (value.tenant_id, value.batch_id, value.revision) == ("t1", "b1", 7)
    assert check_message({"text": message.text, "blocks": message.blocks}) == ""


SUMMARY = ExportSummary(
    created=[CreatedIssue("bundle:a", "UWEC-1", "https://x/browse/UWEC-1")],
    links=1,
    failures=[FailedDraft("view:events", "summary too long", "shorten it")],
    issues_url="https://x/issues/?jql=batch",
)
STATES = ("awaiting_approval", "approved", "exporting", "exported", "export_failed", "rejected", "cancelled")


def test_a_submitter_jira_would_not_name_is_a_jira_user_never_an_id() -> None:
    text = text_of(messages.approval_request(BatchView(**{**_fields(VIEW), "submitted_by": ""})))
    assert "*Submitted by*\na Jira user" in text and "unknown" not in text


def every_message() -> list[tuple[str, messages.Message]]:
    """Each message the bot can send, with both link buttons wherever they appear."""
    built = [
        (status, messages.for_state(BatchView(**{**_fields(VIEW), "status": status}), summary=SUMMARY))
        for status in STATES
    ]
    return [
        *built,
        ("result", messages.result(VIEW, SUMMARY)),
        ("resume_prompt", messages.resume_prompt(VIEW, "Jira answered 503", "wait")),
        ("resumed", messages.resumed(VIEW, "U1")),
        ("superseded", messages.superseded(VIEW)),
    ]


def test_every_message_has_unique_action_ids_in_each_block_and_slack_would_take_it() -> None:
    """Issue 12, defect 1: the result put two `batch_open` buttons in one actions block (invalid_blocks)."""
    for name, message in every_message():
        for block in message.blocks:
            ids = [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
            assert len(ids) == len(set(ids)), (name, ids)
        assert check_message({"text": message.text, "blocks": message.blocks}) == "", name
    result_links = next(b for b in messages.result(VIEW, SUMMARY).blocks if b["type"] == "actions")
    assert [e["action_id"] for e in result_links["elements"]] == [messages.OPEN_ISSUES, messages.OPEN_PANEL]


def test_every_confirm_dialog_is_plain_text_within_slacks_limits() -> None:
    """Slack's confirmation dialog object takes plain_text for its title, text, confirm and deny."""
    long_key = BatchView(**{**_fields(VIEW), "project_key": "K" * 400})
    dialogs = [
        e["confirm"]
        for message in [messages.approval_request(long_key), *(m for _, m in every_message())]
        for b in message.blocks
        for e in b.get("elements", [])
        if "confirm" in e
    ]
    assert dialogs, "the Approve button asks for confirmation"
    for dialog in dialogs:
        limits = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
        assert {k: dialog[k]["type"] for k in limits} == dict.fromkeys(limits, "plain_text")
        assert all(len(dialog[k]["text"]) <= n for k, n in limits.items())
    assert "*" not in dialogs[0]["text"]["text"], "plain_text shows asterisks as they are"


def test_long_user_text_is_cut_to_the_limit_of_each_field() -> None:
    view = BatchView(
        **{**_fields(VIEW), "name": "N" * 500, "submitted_by": "S" * 3000, "status": "export_failed"}
    )
    progress = Progress(done=1, total=2, message="M" * 5000)
    for message in (
        messages.approval_request(view),
        messages.approved(view, "U1", progress),
        messages.export_failed(view, "E" * 5000),
        messages.resume_prompt(view, "E" * 5000, "W" * 5000),
    ):
        assert check_message({"text": message.text, "blocks": message.blocks}) == ""


def test_fallback_text_says_what_the_blocks_say_without_blocks() -> None:
    result = messages.result(BatchView(**{**_fields(VIEW), "approved_by": "U1"}), SUMMARY)
    text = messages.fallback_text(result)
    for expected in (
        "*UWEC site build*",
        "Created 1 issue in *UWEC*",
        "Approved by <@U1>",
        "<https://x/browse/UWEC-1|UWEC-1>",
        "summary too long",
        "*Project* UWEC",
        "<https://x/issues/?jql=batch|Open the issues in Jira>",
        f"<{VIEW.panel_url}|Open in Jira>",
    ):
        assert expected in text, expected
    named = BatchView(**{**_fields(VIEW), "name": "<!channel> build"})
    assert "<!channel>" not in messages.fallback_text(messages.approved(named, "U1"))
    assert "Approve" not in messages.fallback_text(messages.approval_request(VIEW)), "no dead buttons"
    assert check_message({"text": text}) == ""


def test_user_text_cannot_mention_or_link() -> None:
    view = BatchView(**{**_fields(VIEW), "name": "<!channel> & <https://evil|click>"})
    text = mrkdwn_of(messages.resume_prompt(view, "<@U0> broke it"))  # plain_text is never parsed
    assert "<@U0>" not in text and "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text
    rejected = messages.rejected(view, "U1", "see <https://evil|here>")
    assert "<https://evil|here>" not in mrkdwn_of(rejected) and "&lt;https://evil|here&gt;" in mrkdwn_of(
        rejected
    )


def test_result_lists_keys_range_links_attachments_failures_and_jql_link() -> None:
    created = [
        CreatedIssue(f"bundle:{i}", f"UWEC-{100 + i}", f"https://x/browse/UWEC-{100 + i}") for i in range(60)
    ]
    summary = ExportSummary(
        created=created,
        links=71,
        attachments=2,
        failures=[FailedDraft("view:events", "summary too long", "shorten it in the panel")],
        issues_url="https://x/issues/?jql=batch",
    )
    message = messages.result(
        BatchView(**{**_fields(VIEW), "status": "exported", "approved_by": "U1"}), summary
    )
    text = text_of(message)
    for expected in (
        "Created 60 issues",
        "UWEC-100 – UWEC-159",
        "71 Blocks links",
        "2 attachments",
        "<https://x/browse/UWEC-100|UWEC-100>",
        "and 20 more",
        "1 draft could not be created",
        "view:events",
        "summary too long",
        "shorten it in the panel",
        "Approved by <@U1>",
        "Open the issues in Jira",
    ):
        assert expected in text, expected
    urls = [e.get("url") for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert "https://x/issues/?jql=batch" in urls
    assert check_message({"text": message.text, "blocks": message.blocks}) == ""


def test_progress_line_and_in_place_states() -> None:
    line = messages.progress_line(Progress(done=50, total=200, phase="creating issues", errors=1))
    assert "50/200" in line and "creating issues" in line and "1 error" in line and "▓" in line
    approved = text_of(messages.approved(VIEW, "U9", Progress(done=1, total=2)))
    assert "Approved by <@U9> — creating issues…" in approved and "1/2" in approved
    assert "Approve" not in [
        e["text"]["text"]
        for b in messages.approved(VIEW, "U9").blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    rejected = text_of(messages.rejected(VIEW, "U9", "Field labels are wrong\nsee row 4"))
    assert "Rejected by <@U9>" in rejected and "> Field labels are wrong\n> see row 4" in rejected


def test_stale_explanations_name_what_changed() -> None:
    assert "already approved by <@U2>" in refusals.stale(
        BatchView(**{**_fields(VIEW), "status": "approved", "approved_by": "U2"})
    )
    assert "edited and resubmitted" in refusals.stale(VIEW, clicked_revision=3)
    assert "withdrew the request" in refusals.stale(BatchView(**{**_fields(VIEW), "status": "drafted"}), 7)
    assert "cancelled" in refusals.stale(BatchView(**{**_fields(VIEW), "status": "cancelled"}))
    assert "no longer exists" in refusals.stale(None)
    assert refusals.not_approver("UWEC").startswith("You are not an approver for UWEC")


def test_for_state_rebuilds_each_state_without_live_buttons_once_decided() -> None:
    for status in ("approved", "exporting", "exported", "export_failed", "rejected", "cancelled", "drafted"):
        message = messages.for_state(BatchView(**{**_fields(VIEW), "status": status}))
        actions = {e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]}
        assert not actions & {messages.APPROVE, messages.REJECT}, status
        assert check_message({"text": message.text, "blocks": message.blocks}) == ""


def test_reject_modal_requires_a_reason_and_remembers_the_message() -> None:
    modal = reject_form.reject_modal(VIEW, channel="C1", ts="1.1")
    assert modal["callback_id"] == reject_form.REJECT_MODAL and len(modal["title"]["text"]) <= 24
    reason = next(b for b in modal["blocks"] if b["type"] == "input")
    assert reason["block_id"] == reject_form.REASON_BLOCK and not reason.get("optional", False)
    assert reason["element"]["action_id"] == reject_form.REASON_INPUT and reason["element"]["min_length"] == 1
    assert json.loads(modal["private_metadata"]) == {"t": "t1", "b": "b1", "r": 7, "c": "C1", "m": "1.1"}


def test_resume_prompt_has_a_resume_button_with_the_batch() -> None:
    prompt = messages.resume_prompt(VIEW, "Jira answered 503", "wait and resume")
    button = next(e for b in prompt.blocks if b["type"] == "actions" for e in b["elements"])
    assert button["action_id"] == messages.RESUME and parse_value(button["value"]) is not None
    assert "Jira answered 503" in text_of(prompt) and "wait and resume" in text_of(prompt)


def test_key_range_orders_numerically() -> None:
    assert key_range(["UWEC-10", "UWEC-9", "UWEC-100"]) == "UWEC-9 – UWEC-100"
    assert key_range(["UWEC-1"]) == "UWEC-1"
    assert key_range([]) == ""


def test_malformed_button_values_are_rejected() -> None:
    for raw in ("", "{", '{"t": "x"}', '{"t": "a", "b": "b", "r": "seven"}', "[]"):
        assert parse_value(raw) is None


def _fields(view: BatchView) -> dict:
    return {name: getattr(view, name) for name in view.__slots__}


def test_the_fallback_text_is_escaped_so_a_batch_name_cannot_ping_or_link() -> None:
    """Issue 13 (11): Slack reads a message's `text` as mrkdwn; a batch named "<!channel>" pinged everyone."""
    name = "<!channel> & <https://evil.example|click>"
    hostile = BatchView(**{**_fields(VIEW), "name": name, "submitted_by": "<!everyone>"})
    request = messages.approval_request(hostile)
    assert request.text.startswith("&lt;!everyone&gt; asks to create")
    for message in (messages.rejected(hostile, "U1", "<!here> no"), messages.resumed(hostile, "U1")):
        assert "<!" not in message.text and "<https://" not in message.text
        assert message.text.startswith("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;:")


def test_the_approval_request_says_what_happens_to_drafts_already_in_jira() -> None:
    """Issue 14, item 2: the approver sees the submitter's choice for a re-uploaded spec."""
    assert "already exist" not in text_of(messages.approval_request(VIEW))
    for mode, words in (
        ("only_new", "only the new ones are created"),
        ("update", "overwritten with these drafts"),
        ("duplicate", "create them anyway, as duplicates"),
    ):
        message = messages.approval_request(dataclasses.replace(VIEW, existing_issues=mode))
        assert words in text_of(message), mode
        assert check_message({"text": message.text, "blocks": message.blocks}) == "", mode


def test_the_result_counts_the_earlier_batchs_issues_apart_from_the_created_ones() -> None:
    """A re-upload exported with "only new": the adopted issues are not "created" by this export."""
    run_result = {
        "created": [
            {
                "draft_key": "bundle:a",
                "issue_key": "UWEC-1",
                "url": "https://x/browse/UWEC-1",
                "existing": "kept",
            },
            {"draft_key": "bundle:b", "issue_key": "UWEC-9", "url": "https://x/browse/UWEC-9"},
        ],
        "kept": 1,
        "updated": 0,
    }
    summary = ExportSummary.from_mapping(run_result)
    assert [c.issue_key for c in summary.created] == ["UWEC-9"] and (summary.kept, summary.updated) == (1, 0)
    message = messages.result(dataclasses.replace(VIEW, status="exported"), summary)
    text = text_of(message)
    assert "Created 1 issue" in text and "1 kept as they were" in text
    assert check_message({"text": message.text, "blocks": message.blocks}) == ""


RESYNC = {"changed": 31, "new": 1, "removed": 1, "conflicts": 0, "links_add": 2, "links_remove": 5}


def test_a_resync_summary_reads_the_plans_counts() -> None:
    """Issue 15: the approver of a re-sync sees what changes in the issues already in Jira."""
    assert messages.resync_summary("UWEC", RESYNC) == (
        ":arrows_counterclockwise: *Re-sync of UWEC:* 31 changed, 1 new, 1 removed, 0 conflicts"
        " · 2 links added, 5 links removed"
    )
    quiet = messages.resync_summary("UWEC", {**RESYNC, "links_add": 0, "links_remove": 1, "conflicts": 1})
    assert quiet.startswith(
        ":arrows_counterclockwise: *Re-sync of UWEC:* 31 changed, 1 new, 1 removed, 1 conflict · 1 link removed\n"
    )
    assert "1 issue edited in Jira since export is not settled: the export refuses" in quiet
    assert "links" not in messages.resync_summary("UWEC", {**RESYNC, "links_add": 0, "links_remove": 0})
    missing = messages.resync_summary("<!here>", {})
    assert "no readable re-sync plan" in missing and "<!here>" not in missing


def test_the_approval_request_of_a_resync_batch_summarises_its_plan() -> None:
    view = dataclasses.replace(VIEW, existing_issues="resync", resync=RESYNC)
    message = messages.approval_request(view)
    assert "*Re-sync of UWEC:* 31 changed, 1 new, 1 removed, 0 conflicts" in mrkdwn_of(message)
    assert message.text == "Dana Director asks to re-sync UWEC: 31 changed, 1 new, 1 removed, 0 conflicts"
    (approve,) = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]
                  if e.get("action_id") == messages.APPROVE]  # fmt: skip
    dialog = approve["confirm"]
    assert dialog["confirm"]["text"] == "Approve and re-sync"
    assert "re-syncs UWEC: 31 changed, 1 new, 1 removed, 0 conflicts" in dialog["text"]["text"]
    assert "creates" not in dialog["text"]["text"], "a re-sync does not create the 27 tickets"
    assert "already exist" not in text_of(message)
    assert check_message({"text": message.text, "blocks": message.blocks}) == ""
    plain = messages.approval_request(VIEW)
    assert "Re-sync" not in text_of(plain) and plain.text.endswith("asks to create 27 issues in UWEC")
