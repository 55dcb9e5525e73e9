"""Client ↔ sandbox contract: metadata, create, bulk, get, links, attachments, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from app.jira import BULK_LIMIT, ConnectJwtAuth, JiraClient, JiraError
from app.jira.screen import links_at_creation
from sandbox._utils import JiraProblem
from sandbox.issues import create_issue
from sandbox.settings import SandboxSettings

from .conftest import APP_KEY, Site, open_site
from .helpers import PROJECT, TASK, adf, blocked_by, issue


def test_project_and_issue_types(jira: JiraClient) -> None:
    project = jira.get_project(PROJECT)
    assert (project.key, project.id) == ("UWEC", "10000")
    task = next(t for t in jira.issue_types(PROJECT) if t.name == "Task")
    assert task.id == TASK and not task.subtask
    fields = jira.create_fields(PROJECT, task.id)
    assert fields["summary"].required and not fields["description"].required
    assert links_at_creation(jira.create_fields(PROJECT, task.id)) is True


def test_create_screen_without_issuelinks(site: Site, jira: JiraClient) -> None:
    site.settings(links_at_creation=False)
    assert "issuelinks" not in jira.create_fields(PROJECT, TASK)
    assert links_at_creation(jira.create_fields(PROJECT, TASK)) is False


def test_a_create_screen_without_labels_refuses_them_in_fields_and_in_update(
    site: Site, jira: JiraClient
) -> None:
    """Issue 12 (6): a project can take Labels off its create screen; Jira then refuses the field whichever
    way it is sent (the stand-in accepted `update.labels` always)."""
    site.settings(labels_on_screen=False)
    assert "labels" not in jira.create_fields(PROJECT, TASK)
    base = {"project": {"key": PROJECT}, "issuetype": {"id": TASK}, "summary": "No labels here"}
    result = jira.bulk_create(
        [
            {"fields": {**base, "labels": ["drupal"]}},
            {"fields": base, "update": {"labels": [{"add": "drupal"}]}},
            {"fields": base},
        ]
    )
    assert len(result.created) == 1
    assert [e.errors for _, e in sorted(result.failed.items())] == [
        {"labels": "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown."}
    ] * 2


def test_a_required_custom_field_without_default_refuses_every_issue_that_leaves_it_out(
    site: Site, jira: JiraClient
) -> None:
    site.settings(required_field="Team")
    team = jira.create_fields(PROJECT, TASK)["customfield_10100"]
    assert (team.name, team.required, team.has_default) == ("Team", True, False)
    base = {"project": {"key": PROJECT}, "issuetype": {"id": TASK}, "summary": "Whose?"}
    result = jira.bulk_create([{"fields": base}, {"fields": {**base, "customfield_10100": "Web"}}])
    assert len(result.created) == 1
    assert [e.errors for e in result.failed.values()] == [{"customfield_10100": "Team is required."}]


def test_without_create_issues_createmeta_lists_no_issue_type(site: Site, jira: JiraClient) -> None:
    site.settings(app_can_create=False)
    assert jira.issue_types(PROJECT) == []


def test_unknown_project_is_a_user_error(jira: JiraClient) -> None:
    with pytest.raises(JiraError) as raised:
        jira.get_project("NOPE")
    assert (raised.value.kind, raised.value.status) == ("user", 404)
    assert "NOPE" in raised.value.message


def test_blocks_link_type_resolved(jira: JiraClient) -> None:
    blocks = jira.link_type("Blocks")
    assert (blocks.name, blocks.inward, blocks.outward) == ("Blocks", "is blocked by", "blocks")
    with pytest.raises(JiraError) as raised:
        jira.link_type("Depends")
    assert raised.value.kind == "admin"


def test_create_and_read_back(jira: JiraClient) -> None:
    created = jira.create_issue(issue("Content type: Article", draft="ct-article"))
    assert created.key == "UWEC-1"
    body = jira.get_issue(created.key, properties=["ticketgen"])
    assert body["fields"]["summary"] == "Content type: Article"
    assert body["fields"]["description"] == adf("Story of Content type: Article")
    assert body["fields"]["labels"] == ["drupal-spec"]
    assert body["fields"]["issuetype"]["name"] == "Task"
    assert body["properties"]["ticketgen"] == {"batchId": "b1", "draftKey": "ct-article"}
    assert jira.get_issue(created.key, fields=["summary"])["fields"] == {"summary": "Content type: Article"}
    assert jira.create_issue(issue("second")).key == "UWEC-2"


def test_missing_issue_is_404(jira: JiraClient) -> None:
    with pytest.raises(JiraError) as raised:
        jira.get_issue("UWEC-999")
    assert (raised.value.kind, raised.value.status) == ("user", 404)


def test_invalid_adf_is_refused_with_a_field_error(jira: JiraClient) -> None:
    bad = issue("bad description")
    bad["fields"]["description"] = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": ""}]}],
    }
    with pytest.raises(JiraError) as raised:
        jira.create_issue(bad)
    assert (raised.value.kind, raised.value.status) == ("user", 400)
    assert "Atlassian Document" in raised.value.errors["description"]


def test_body_schema_violations_are_400_like_jira(site: Site, jira: JiraClient) -> None:
    with pytest.raises(JiraError) as raised:
        jira.create_issue({"fields": {"summary": "x"}, "properties": {"key": "not-a-list"}})
    assert (raised.value.kind, raised.value.status) == ("user", 400)
    assert "properties" in raised.value.message
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    half_link = {"type": {"name": "Blocks"}, "inwardIssue": {"key": "UWEC-1"}}
    response = requests.post(f"{site.base_url}/rest/api/3/issueLink", json=half_link, auth=auth, timeout=10)
    assert response.status_code == 400 and "outwardIssue" in response.json()["errorMessages"][0]
    response = requests.post(
        f"{site.base_url}/rest/api/3/issue",
        data="{not json",
        timeout=10,
        headers={"Content-Type": "application/json"},
        auth=auth,
    )
    assert response.status_code == 400 and response.json()["errorMessages"]


def test_field_rules(jira: JiraClient) -> None:
    long_summary = issue("x" * 256)
    unknown_field = issue("y")
    unknown_field["fields"]["customfield_99999"] = "z"
    spaced_label = issue("z")
    spaced_label["fields"]["labels"] = ["two words"]
    result = jira.bulk_create([long_summary, unknown_field, spaced_label])
    assert result.created == ()
    assert "255" in result.failed[0].errors["summary"]
    assert "cannot be set" in result.failed[1].errors["customfield_99999"]
    assert "spaces" in result.failed[2].errors["labels"]


def test_bulk_create_with_a_per_item_failure(jira: JiraClient) -> None:
    no_summary = issue("placeholder")
    del no_summary["fields"]["summary"]
    result = jira.bulk_create([issue("one"), no_summary, issue("three")])
    assert sorted(c.key for c in result.created) == ["UWEC-1", "UWEC-2"]
    assert sorted(result.failed) == [1]  # refusals carry their request index; created issues do not
    assert result.failed[1].status == 400 and "summary" in result.failed[1].errors
    assert "summary" in result.failed[1].message
    assert jira.get_issue("UWEC-2", fields=["summary"])["fields"]["summary"] == "three"


def test_bulk_over_fifty_is_refused(site: Site, jira: JiraClient) -> None:
    with pytest.raises(ValueError, match=r"1\.\.50"):
        jira.bulk_create([issue(f"n{i}") for i in range(BULK_LIMIT + 1)])
    response = requests.post(
        f"{site.base_url}/rest/api/3/issue/bulk",
        json={"issueUpdates": [issue(f"n{i}") for i in range(51)]},
        auth=ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url),
        timeout=10,
    )
    assert response.status_code == 400
    assert "50" in response.json()["errorMessages"][0]
    assert site.stats()["stored"]["issues"] == 0
    assert len(jira.bulk_create([issue(f"n{i}") for i in range(BULK_LIMIT)]).created) == BULK_LIMIT


def test_bulk_create_answers_out_of_request_order(site: Site, jira: JiraClient) -> None:
    """Jira documents no order for a bulk answer's `issues`: the stand-in never keeps the request's, and
    only the issue property each issue carries (read back with bulkfetch) says which request made it."""
    requested = [f"d{i}" for i in range(6)]
    result = jira.bulk_create([issue(f"t-{d}", draft=d) for d in requested])
    answered = [c.key for c in result.created]
    assert sorted(answered, key=lambda k: int(k.split("-")[1])) == [f"UWEC-{i}" for i in range(1, 7)]
    assert answered != [f"UWEC-{i}" for i in range(1, 7)]
    fetched = jira.bulk_fetch([c.id for c in result.created], properties=["ticketgen"])
    by_draft = {f.properties["ticketgen"]["draftKey"]: f.key for f in fetched.issues}
    assert by_draft == {d: f"UWEC-{i}" for i, d in enumerate(requested, start=1)}
    site.settings(shuffle_bulk_results=False)
    in_order = jira.bulk_create([issue(f"u{i}") for i in range(3)])
    assert [c.key for c in in_order.created] == ["UWEC-7", "UWEC-8", "UWEC-9"]


def test_bulk_fetch_is_consistent_and_follows_the_reference(site: Site, jira: JiraClient) -> None:
    site.settings(index_delay_s=3600)  # the search sees nothing yet; bulkfetch is not the search
    made = sorted(c.id for c in jira.bulk_create([issue(f"f{i}", draft=f"k{i}") for i in range(3)]).created)
    fetched = jira.bulk_fetch(  # a key in any case, an unknown key, and ids
        ["uwec-3", "UWEC-404", made[0], made[1]], fields=["summary"], properties=["ticketgen"]
    )
    assert [f.key for f in fetched.issues] == ["UWEC-1", "UWEC-2", "UWEC-3"]  # ascending id, unknown left out
    assert fetched.errors == {}
    assert fetched.issues[2].fields == {"summary": "f2"}
    assert fetched.issues[2].properties == {"ticketgen": {"batchId": "b1", "draftKey": "k2"}}
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)

    def raw(body: dict) -> requests.Response:
        return requests.post(f"{site.base_url}/rest/api/3/issue/bulkfetch", json=body, auth=auth, timeout=10)

    refused = {
        "none": raw({"issueIdsOrKeys": []}),
        "over 100": raw({"issueIdsOrKeys": [f"UWEC-{i}" for i in range(1, 102)]}),
        "over 5 properties": raw({"issueIdsOrKeys": ["UWEC-1"], "properties": [f"p{i}" for i in range(6)]}),
        "no ids": raw({"fields": ["summary"]}),
        "unknown member": raw({"issueIdsOrKeys": ["UWEC-1"], "maxResults": 5}),
    }
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 400)
    assert all(r.json()["errorMessages"] for r in refused.values())
    whole = raw({"issueIdsOrKeys": ["UWEC-1"]}).json()
    assert set(whole) == {"expand", "issues", "issueErrors"} and "labels" in whole["issues"][0]["fields"]
    with pytest.raises(ValueError, match=r"1\.\.100"):
        jira.bulk_fetch([f"UWEC-{i}" for i in range(1, 102)])


def test_bulk_create_gets_its_own_longer_timeout(site: Site, jira: JiraClient) -> None:
    """50 issues are one long request: the per-request timeout must not cut a bulk create short."""
    site.fault(kind="latency", seconds=2)
    with site.client(timeout_s=1, bulk_timeout_s=10) as client:
        with pytest.raises(JiraError) as raised:
            client.get_project(PROJECT)
        assert raised.value.message == "request timed out"
        assert len(client.bulk_create([issue(f"slow{i}") for i in range(3)]).created) == 3


def _links(jira: JiraClient, key: str) -> list[tuple[str, str, str]]:
    """(direction, other key, phrase) as Jira shows them on `key`."""
    shown = []
    for link in jira.get_issue(key, fields=["issuelinks"])["fields"]["issuelinks"]:
        if "inwardIssue" in link:
            shown.append(("inward", link["inwardIssue"]["key"], link["type"]["inward"]))
        if "outwardIssue" in link:
            shown.append(("outward", link["outwardIssue"]["key"], link["type"]["outward"]))
    return shown


def test_blocks_link_inward_issue_is_the_blocker(site: Site, jira: JiraClient) -> None:
    blocker = jira.create_issue(issue("blocker")).key
    blocked = jira.create_issue(issue("blocked")).key
    jira.create_link(link_type="Blocks", inward_key=blocker, outward_key=blocked)
    assert _links(jira, blocked) == [("inward", blocker, "is blocked by")]
    assert _links(jira, blocker) == [("outward", blocked, "blocks")]
    jira.create_link(link_type="Blocks", inward_key=blocker, outward_key=blocked)  # duplicates succeed
    assert site.stats()["stored"]["links"] == 1
    assert site.stats()["events"]["duplicate_link_requests"] == 1
    with pytest.raises(JiraError) as raised:
        jira.create_link(link_type="Blocks", inward_key=blocker, outward_key="UWEC-404")
    assert raised.value.status == 404


def test_links_at_creation_same_direction(jira: JiraClient) -> None:
    blocker = jira.create_issue(issue("blocker")).key
    result = jira.bulk_create([issue("blocked", update=blocked_by(blocker))])
    (blocked,) = (c.key for c in result.created)
    assert _links(jira, blocked) == [("inward", blocker, "is blocked by")]
    assert _links(jira, blocker) == [("outward", blocked, "blocks")]


def test_links_at_creation_refused_when_not_on_screen(site: Site, jira: JiraClient) -> None:
    blocker = jira.create_issue(issue("blocker")).key
    site.settings(links_at_creation=False)
    result = jira.bulk_create([issue("blocked", update=blocked_by(blocker))])
    assert "cannot be set" in result.failed[0].errors["issuelinks"]
    assert site.stats()["stored"]["issues"] == 1


def test_attachments(site: Site, jira: JiraClient) -> None:
    key = jira.create_issue(issue("big")).key
    content = b"# Full table\n| a | b |\n"
    added = jira.add_attachment(key, filename="UWEC-draft.md", content=content)
    assert [(a.filename, a.size) for a in added] == [("UWEC-draft.md", len(content))]
    shown = jira.get_issue(key, fields=["attachment"])["fields"]["attachment"]
    assert shown[0]["filename"] == "UWEC-draft.md" and shown[0]["mimeType"] == "text/markdown"
    assert requests.get(shown[0]["content"], timeout=10).content == b"# Full table\n| a | b |\n"
    response = requests.post(
        f"{site.base_url}/rest/api/3/issue/{key}/attachments",
        files={"file": ("x.txt", b"x")},
        timeout=10,
        auth=ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url),
    )
    assert response.status_code == 403  # no X-Atlassian-Token: no-check


def test_an_attachment_is_deleted_once_and_only_by_whom_jira_lets(site: Site, jira: JiraClient) -> None:
    """`removeAttachment`: 204, then 404 (a delete sent again after a lost answer learns it is gone); the
    app deletes its own uploads with Delete Own Attachments, a person's only with Delete All Attachments."""
    created = jira.create_issue(issue("big"))
    key, store = created.key, site.sandbox.state.store
    own = jira.add_attachment(key, filename="full.md", content=b"old")[0].id
    person = site.sandbox.state.settings.user_account_id
    theirs = str(store.add_attachment(int(created.id), "full.md", "text/markdown", b"mine", author=person).id)
    shown = jira.get_issue(key, fields=["attachment"])["fields"]["attachment"]
    assert [a["author"]["accountId"] for a in shown] == ["app", person]
    site.permissions("app", projects={"*": ["BROWSE_PROJECTS", "CREATE_ATTACHMENTS"]})
    for attachment_id in (own, theirs):
        with pytest.raises(JiraError) as refused:
            jira.delete_attachment(attachment_id)
        assert refused.value.status == 403
    site.permissions("app", projects={"*": ["BROWSE_PROJECTS", "DELETE_OWN_ATTACHMENTS"]})
    with pytest.raises(JiraError) as refused:
        jira.delete_attachment(theirs)
    assert refused.value.status == 403, "a person's file needs Delete All Attachments"
    assert jira.delete_attachment(own) is True
    assert jira.delete_attachment(own) is False, "404: already gone"
    assert jira.delete_attachment("not-an-id") is False
    shown = jira.get_issue(key, fields=["attachment"])["fields"]["attachment"]
    assert [a["id"] for a in shown] == [theirs]
    site.permissions("app", projects={"*": ["BROWSE_PROJECTS", "DELETE_ALL_ATTACHMENTS"]})
    assert jira.delete_attachment(theirs) is True
    assert store.attachments_of(int(created.id)) == []


def test_issue_properties(jira: JiraClient) -> None:
    key = jira.create_issue(issue("p")).key
    assert jira.get_property(key, "other") is None
    jira.set_property(key, "other", {"n": 1})
    jira.set_property(key, "other", {"n": 2})
    assert jira.get_property(key, "other") == {"n": 2}
    with pytest.raises(JiraError) as raised:
        jira.set_property(key, "huge", {"v": "x" * 40_000})
    assert raised.value.kind == "user"


def test_issue_list_page_shows_the_result(site: Site, jira: JiraClient) -> None:
    blocker = jira.create_issue(issue("Vocabulary: Tags")).key
    blocked = jira.create_issue(issue("Content type: Article")).key
    jira.create_link(link_type="Blocks", inward_key=blocker, outward_key=blocked)
    jira.add_attachment(blocked, filename="full.md", content=b"x")
    page = requests.get(f"{site.base_url}/projects/UWEC/issues", timeout=10)
    assert page.status_code == 200
    for text in (
        blocker,
        "Vocabulary: Tags",
        "<p>Story of Content type: Article</p>",
        "is blocked by",
        "blocks",
        "full.md",
        "draftKey",
    ):
        assert text in page.text


def test_the_cheap_sandbox_skips_only_the_adf_schema_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Benchmarks run `--cheap`: a description Jira would refuse for its schema passes, anything else does not."""
    monkeypatch.setenv("SANDBOX_CHEAP", "1")
    cheap = SandboxSettings.from_env()
    assert not cheap.check_descriptions and SandboxSettings().check_descriptions
    sandbox, _ = open_site(tmp_path, cheap)
    try:
        bad = issue("bad description")
        bad["fields"]["description"] = {"type": "doc", "version": 1, "content": [{"type": "nonsense"}]}
        not_adf = issue("not an object")
        not_adf["fields"]["description"] = "plain text"
        with sandbox.state.store.transaction() as db:
            assert (
                create_issue(db, sandbox.state.store, cheap, bad, people=sandbox.state.directory).key
                == "UWEC-1"
            )
            with pytest.raises(JiraProblem, match="Atlassian Document"):
                create_issue(db, sandbox.state.store, cheap, not_adf, people=sandbox.state.directory)
            with pytest.raises(JiraProblem, match="Atlassian Document"):
                create_issue(db, sandbox.state.store, SandboxSettings(), bad, people=sandbox.state.directory)
    finally:
        sandbox.close()


def test_edit_issue_sets_fields_on_the_edit_screen_only(site: Site, jira: JiraClient) -> None:
    """`PUT /issue/{key}` as Jira answers it: 204, the fields replaced; a field the screen lacks, a project
    move, a bad description or an unknown issue are refused with Jira's field errors; nothing half-done."""
    created = jira.create_issue(issue("Content type: Article", draft="ct-article"))
    jira.edit_issue(
        created.key, {"summary": "Content type: Article (revised)", "description": adf("New story")}
    )
    body = jira.get_issue(created.key, properties=["ticketgen"])
    assert body["fields"]["summary"] == "Content type: Article (revised)"
    assert body["fields"]["description"] == adf("New story")
    assert body["fields"]["labels"] == ["drupal-spec"], "fields not sent stay as they were"
    assert body["properties"]["ticketgen"]["draftKey"] == "ct-article"
    jira.edit_issue(created.key, {"summary": "Content type: Article (revised)"})  # the same edit again: fine

    bad_adf = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text"}]}]}
    for fields, field in (
        ({"project": {"key": "OTHER"}}, "project"),
        ({"summary": ""}, "summary"),
        ({"summary": "ok", "description": bad_adf}, "description"),
        ({"customfield_99999": "x"}, "customfield_99999"),
    ):
        with pytest.raises(JiraError) as raised:
            jira.edit_issue(created.key, fields)
        assert (raised.value.status, field in raised.value.errors) == (400, True), (fields, raised.value)
    assert jira.get_issue(created.key)["fields"]["summary"] == "Content type: Article (revised)"
    with pytest.raises(JiraError) as missing:
        jira.edit_issue("UWEC-999", {"summary": "x"})
    assert missing.value.status == 404
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    url = f"{site.base_url}/rest/api/3/issue/{created.key}"
    schema = requests.put(url, json={"fields": "not an object"}, auth=auth, timeout=10)
    assert schema.status_code == 400 and "fields" in schema.json()["errorMessages"][0]
