"""Issue 16's sandbox: users and the assignable-user search, the epic/parent hierarchy, Jira Software boards
and sprints, and the estimation field, each refused as Jira refuses it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from app.jira import JiraClient, JiraError
from app.jira.auth import ConnectJwtAuth
from app.jira.screen import Estimation, estimation_field, sprint_field
from sandbox.catalog import SPRINT_FIELD_KEY, STORY_POINTS_FIELD_KEY
from sandbox.forge_gateway import needed_scopes
from sandbox.permissions import APP
from sandbox.planning_fields import SPRINT_NOT_A_NUMBER, WRONG_LEVEL
from sandbox.team import BACK_END_DEV, FRONT_END_DEV, SITE_BUILDER, STAKEHOLDER

from .conftest import APP_KEY, Site
from .helpers import PROJECT, issue

EPIC, SUBTASK = "10004", "10005"
ASSIGNABLE = "/rest/api/3/user/assignable/search"


def call(site: Site, method: str, path: str, **kwargs: Any) -> requests.Response:
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    return requests.request(method, f"{site.base_url}{path}", auth=auth, timeout=10, **kwargs)


def names(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [u["displayName"] for u in response.json()]


def refused(jira: JiraClient, body: dict[str, Any]) -> JiraError:
    with pytest.raises(JiraError) as raised:
        jira.create_issue(body)
    assert raised.value.status == 400
    return raised.value


def test_issue_types_carry_their_hierarchy_level_and_the_create_screen_its_planning_fields(
    site: Site, jira: JiraClient
) -> None:
    levels = {
        t["name"]: t["hierarchyLevel"]
        for t in call(site, "GET", f"/rest/api/3/project/{PROJECT}").json()["issueTypes"]
    }
    assert levels == {"Task": 0, "Story": 0, "Bug": 0, "Epic": 1, "Subtask": -1}
    task = jira.create_fields(PROJECT, "10001")
    assert {"assignee", "parent", SPRINT_FIELD_KEY, STORY_POINTS_FIELD_KEY} <= set(task)
    assert task["parent"].required is False
    epic = jira.create_fields(PROJECT, EPIC)
    assert "parent" not in epic and SPRINT_FIELD_KEY not in epic and STORY_POINTS_FIELD_KEY in epic
    assert jira.create_fields(PROJECT, SUBTASK)["parent"].required is True
    raw = call(site, "GET", f"/rest/api/3/issue/createmeta/{PROJECT}/issuetypes/10001").json()["fields"]
    by_key = {f["key"]: f for f in raw}
    assert by_key[SPRINT_FIELD_KEY]["schema"]["custom"] == "com.pyxis.greenhopper.jira:gh-sprint"
    assert by_key[STORY_POINTS_FIELD_KEY]["schema"] == {
        "type": "number", "custom": "com.pyxis.greenhopper.jira:jsw-story-points", "customId": 10016,
    }  # fmt: skip
    site.settings(estimation="original_estimate", boards=False, assignee_on_screen=False)
    task = jira.create_fields(PROJECT, "10001")
    assert "timetracking" in task and not {STORY_POINTS_FIELD_KEY, SPRINT_FIELD_KEY, "assignee"} & set(task)


def test_assignable_users_are_searched_by_name_prefix_and_email(site: Site, jira: JiraClient) -> None:
    search = f"{ASSIGNABLE}?project={PROJECT}&query="
    assert names(call(site, "GET", search + "pri")) == [SITE_BUILDER.display_name]
    assert names(call(site, "GET", search + "CHEN")) == [BACK_END_DEV.display_name]  # a later word
    assert names(call(site, "GET", search + "tomas.r")) == [FRONT_END_DEV.display_name]  # the address
    assert names(call(site, "GET", search + "dana")) == []  # may browse, cannot be assigned
    everyone = names(call(site, "GET", search))
    assert STAKEHOLDER.display_name not in everyone and "Ticket Generator" not in everyone
    assert {SITE_BUILDER.display_name, FRONT_END_DEV.display_name, BACK_END_DEV.display_name} <= set(everyone)
    found = call(site, "GET", f"{ASSIGNABLE}?project={PROJECT}&accountId={SITE_BUILDER.account_id}").json()
    assert [u["accountId"] for u in found] == [SITE_BUILDER.account_id]
    assert (
        set(found[0]["avatarUrls"]) == {"48x48", "32x32", "24x24", "16x16"} and "emailAddress" not in found[0]
    )
    site.permissions(SITE_BUILDER.account_id, projects={PROJECT: ["BROWSE_PROJECTS"]})
    assert names(call(site, "GET", search + "pri")) == []


def test_the_assignable_search_is_as_strict_as_jira(site: Site, jira: JiraClient) -> None:
    for query, status in (
        (f"project={PROJECT}", 400),  # neither query nor accountId
        (f"project={PROJECT}&query=pri&accountId={SITE_BUILDER.account_id}", 400),  # both
        ("query=pri", 400),  # no project, issueKey or issueId
        ("project=NOPE&query=pri", 404),
        (f"project={PROJECT.lower()}&query=pri", 404),  # the project key is case sensitive
        ("issueKey=UWEC-999&query=pri", 404),
    ):
        response = call(site, "GET", f"{ASSIGNABLE}?{query}")
        assert response.status_code == status, (query, response.text)
        assert response.json()["errorMessages"], query
    assert (
        requests.get(f"{site.base_url}{ASSIGNABLE}?project={PROJECT}&query=p", timeout=10).status_code == 401
    )


def test_the_assignable_search_filters_after_paging_as_jira_does(site: Site, jira: JiraClient) -> None:
    """Jira takes `maxResults` users first and keeps the assignable ones: a page can be short, even empty,
    while assignable users follow on the next."""
    everyone = [u["accountId"] for u in call(site, "GET", f"{ASSIGNABLE}?project={PROJECT}&query=").json()]
    order = site.sandbox.state.directory.accounts()
    stakeholder_at = order.index(STAKEHOLDER.account_id)
    page = call(site, "GET", f"{ASSIGNABLE}?project={PROJECT}&query=&startAt={stakeholder_at}&maxResults=1")
    assert page.json() == []
    nxt = call(
        site, "GET", f"{ASSIGNABLE}?project={PROJECT}&query=&startAt={stakeholder_at + 1}&maxResults=1"
    )
    assert [u["accountId"] for u in nxt.json()] == [order[stakeholder_at + 1]]
    assert order[stakeholder_at + 1] in everyone


def test_a_parent_must_be_one_level_up(site: Site, jira: JiraClient) -> None:
    epic = jira.create_issue(
        {"fields": {**issue("UWEC site build: configuration")["fields"], "issuetype": {"id": EPIC}}}
    )
    child = jira.create_issue(issue("Create Job content type", fields={**issue("x")["fields"], "summary": "Job",
                                                                          "parent": {"key": epic.key}}))  # fmt: skip
    stored = jira.get_issue(child.key, fields=["parent"])["fields"]["parent"]
    assert stored["key"] == epic.key and stored["fields"]["issuetype"]["name"] == "Epic"
    task_parent = refused(jira, {"fields": {**issue("y")["fields"], "parent": {"key": child.key}}})
    assert task_parent.errors == {"parent": WRONG_LEVEL}
    missing = refused(jira, {"fields": {**issue("z")["fields"], "parent": {"key": "UWEC-999"}}})
    assert missing.errors == {"parent": "Could not find issue by id or key."}
    epic_parent = refused(
        jira, {"fields": {**issue("e")["fields"], "issuetype": {"id": EPIC}, "parent": {"key": epic.key}}}
    )
    assert epic_parent.errors == {
        "parent": "Field 'parent' cannot be set. It is not on the appropriate screen, or unknown."
    }
    subtask = jira.create_issue(
        {"fields": {**issue("s")["fields"], "issuetype": {"id": SUBTASK}, "parent": {"key": child.key}}}
    )
    assert jira.get_issue(subtask.key, fields=["parent"])["fields"]["parent"]["key"] == child.key
    under_epic = refused(
        jira, {"fields": {**issue("s2")["fields"], "issuetype": {"id": SUBTASK}, "parent": {"key": epic.key}}}
    )
    assert under_epic.errors == {"parent": WRONG_LEVEL}


def test_an_assignee_must_be_assignable_in_the_project(site: Site, jira: JiraClient) -> None:
    body = issue("assigned")
    body["fields"]["assignee"] = {"accountId": FRONT_END_DEV.account_id}
    created = jira.create_issue(body)
    assignee = jira.get_issue(created.key, fields=["assignee"])["fields"]["assignee"]
    assert assignee["accountId"] == FRONT_END_DEV.account_id and assignee["displayName"] == "Tomás Rivera"
    body["fields"]["assignee"] = {"accountId": STAKEHOLDER.account_id}
    assert refused(jira, body).errors == {
        "assignee": f"User '{STAKEHOLDER.account_id}' cannot be assigned issues."
    }
    body["fields"]["assignee"] = {"accountId": "557058:nobody"}
    assert "cannot be assigned issues" in refused(jira, body).errors["assignee"]
    body["fields"]["assignee"] = None
    assert jira.get_issue(jira.create_issue(body).key, fields=["assignee"])["fields"]["assignee"] is None
    site.settings(assignee_on_screen=False)
    body["fields"]["assignee"] = {"accountId": FRONT_END_DEV.account_id}
    assert refused(jira, body).errors == {
        "assignee": "Field 'assignee' cannot be set. It is not on the appropriate screen, or unknown."
    }


def test_assign_issue_needs_no_screen_but_an_assignable_person(site: Site, jira: JiraClient) -> None:
    """Jira's assignIssue: how an issue whose screens lack Assignee gets one; the same refusal of a person who
    cannot be assigned, and 403 for a caller without Assign Issues."""
    site.settings(assignee_on_screen=False)
    created = jira.create_issue(issue("assigned afterwards"))
    jira.assign(created.key, BACK_END_DEV.account_id)
    assert jira.get_issue(created.key, fields=["assignee"])["fields"]["assignee"]["accountId"] == (
        BACK_END_DEV.account_id
    )
    with pytest.raises(JiraError) as raised:
        jira.assign(created.key, STAKEHOLDER.account_id)
    assert raised.value.status == 400 and "cannot be assigned issues" in raised.value.message
    path = f"/rest/api/3/issue/{created.key}/assignee"
    assert call(site, "PUT", path, json={}).status_code == 400
    site.permissions(APP, projects={PROJECT: ["BROWSE_PROJECTS"]})  # the app without Assign Issues
    assert call(site, "PUT", path, json={"accountId": SITE_BUILDER.account_id}).status_code == 403


def test_a_bulk_create_refuses_only_the_unassignable_element(site: Site, jira: JiraClient) -> None:
    good, bad = issue("good"), issue("bad")
    good["fields"]["assignee"] = {"accountId": SITE_BUILDER.account_id}
    bad["fields"]["assignee"] = {"accountId": STAKEHOLDER.account_id}
    result = call(site, "POST", "/rest/api/3/issue/bulk", json={"issueUpdates": [good, bad]}).json()
    assert len(result["issues"]) == 1
    assert result["errors"][0]["failedElementNumber"] == 1
    assert "cannot be assigned issues" in result["errors"][0]["elementErrors"]["errors"]["assignee"]


def test_boards_and_their_open_sprints(site: Site, jira: JiraClient) -> None:
    boards = call(site, "GET", f"/rest/agile/1.0/board?projectKeyOrId={PROJECT}").json()
    assert boards["total"] == 1 and boards["isLast"] is True
    board = boards["values"][0]
    assert board["type"] == "scrum" and board["location"]["projectKey"] == PROJECT
    sprints = call(site, "GET", f"/rest/agile/1.0/board/{board['id']}/sprint?state=active,future").json()
    assert [s["state"] for s in sprints["values"]] == ["active", "future"] and sprints["isLast"] is True
    every = call(site, "GET", f"/rest/agile/1.0/board/{board['id']}/sprint").json()["values"]
    assert [s["state"] for s in every] == ["closed", "active", "future"] and "completeDate" in every[0]
    assert call(site, "GET", f"/rest/agile/1.0/board/{board['id']}/sprint?state=open").status_code == 400
    assert call(site, "GET", "/rest/agile/1.0/board/999/sprint").status_code == 404
    assert call(site, "GET", "/rest/agile/1.0/board?projectKeyOrId=NOPE").status_code == 400
    assert (
        call(site, "GET", f"/rest/agile/1.0/board?projectKeyOrId={PROJECT}&type=kanban").json()["values"]
        == []
    )
    assert (
        call(site, "GET", f"/rest/agile/1.0/board?projectKeyOrId={PROJECT}&type=kanban,scrum").json()["total"]
        == 1
    )
    site.settings(boards=False)
    assert call(site, "GET", f"/rest/agile/1.0/board?projectKeyOrId={PROJECT}").json()["values"] == []


def test_the_sprint_is_set_on_create_by_its_bare_id_and_only_while_open(site: Site, jira: JiraClient) -> None:
    closed, active, future = (
        s["id"] for s in call(site, "GET", "/rest/agile/1.0/board/1/sprint").json()["values"]
    )
    body = issue("in the sprint")
    body["fields"][SPRINT_FIELD_KEY] = active
    created = jira.create_issue(body)
    sprint = jira.get_issue(created.key, fields=[SPRINT_FIELD_KEY])["fields"][SPRINT_FIELD_KEY]
    assert [(s["id"], s["state"]) for s in sprint] == [(active, "active")]
    body["fields"][SPRINT_FIELD_KEY] = [{"id": active}]  # the shape it reads back in, not the one it takes
    wrong = refused(jira, body)
    assert SPRINT_NOT_A_NUMBER in wrong.message and SPRINT_FIELD_KEY in wrong.errors
    body["fields"][SPRINT_FIELD_KEY] = closed
    assert "closed" in refused(jira, body).errors[SPRINT_FIELD_KEY]
    body["fields"][SPRINT_FIELD_KEY] = 999
    assert "999" in refused(jira, body).errors[SPRINT_FIELD_KEY]
    moved = call(site, "POST", f"/rest/agile/1.0/sprint/{future}/issue", json={"issues": [created.key]})
    assert moved.status_code == 204 and moved.content == b""
    sprint = jira.get_issue(created.key, fields=[SPRINT_FIELD_KEY])["fields"][SPRINT_FIELD_KEY]
    assert [s["id"] for s in sprint] == [future]
    for sprint_id, payload, status in (
        (closed, {"issues": [created.key]}, 400),
        (future, {"issues": [created.key] * 51}, 400),
        (future, {"issues": ["UWEC-999"]}, 400),
        (future, {"issues": []}, 400),
        (999, {"issues": [created.key]}, 404),
    ):
        response = call(site, "POST", f"/rest/agile/1.0/sprint/{sprint_id}/issue", json=payload)
        assert response.status_code == status, (sprint_id, response.text)
    site.settings(boards=False)
    body["fields"][SPRINT_FIELD_KEY] = active
    assert refused(jira, body).errors == {
        SPRINT_FIELD_KEY: f"Field '{SPRINT_FIELD_KEY}' cannot be set. It is not on the appropriate screen, or unknown."
    }


def test_the_estimation_field_takes_what_its_type_takes(site: Site, jira: JiraClient) -> None:
    body = issue("estimated")
    body["fields"][STORY_POINTS_FIELD_KEY] = 5
    created = jira.create_issue(body)
    assert jira.get_issue(created.key, fields=[STORY_POINTS_FIELD_KEY])["fields"][STORY_POINTS_FIELD_KEY] == 5
    body["fields"][STORY_POINTS_FIELD_KEY] = "5"
    assert STORY_POINTS_FIELD_KEY in refused(jira, body).errors
    site.settings(estimation="original_estimate")
    body["fields"][STORY_POINTS_FIELD_KEY] = 5
    assert "not on the appropriate screen" in refused(jira, body).errors[STORY_POINTS_FIELD_KEY]
    del body["fields"][STORY_POINTS_FIELD_KEY]
    body["fields"]["timetracking"] = {"originalEstimate": "1d 4h"}
    timed = jira.get_issue(jira.create_issue(body).key, fields=["timetracking"])["fields"]["timetracking"]
    assert timed == {"originalEstimate": "1d 4h", "originalEstimateSeconds": 12 * 3600}
    body["fields"]["timetracking"] = {"originalEstimate": "soon"}
    assert "timetracking" in refused(jira, body).errors


def test_an_edit_checks_the_planning_fields_too(site: Site, jira: JiraClient) -> None:
    created = jira.create_issue(issue("to plan"))
    jira.edit_issue(
        created.key, {"assignee": {"accountId": BACK_END_DEV.account_id}, STORY_POINTS_FIELD_KEY: 3}
    )
    fields = jira.get_issue(created.key, fields=["assignee", STORY_POINTS_FIELD_KEY])["fields"]
    assert fields["assignee"]["displayName"] == "Mei Chen" and fields[STORY_POINTS_FIELD_KEY] == 3
    with pytest.raises(JiraError) as raised:
        jira.edit_issue(created.key, {"assignee": {"accountId": STAKEHOLDER.account_id}})
    assert raised.value.status == 400 and "cannot be assigned issues" in raised.value.errors["assignee"]


def test_the_forge_gateway_knows_the_scopes_of_the_new_operations() -> None:
    assert needed_scopes("GET", ASSIGNABLE) == {"read:jira-user"}
    assert needed_scopes("GET", "/rest/agile/1.0/board") == {
        "read:board-scope:jira-software",
        "read:project:jira",
    }
    assert needed_scopes("GET", "/rest/agile/1.0/board/1/sprint") == {"read:sprint:jira-software"}
    assert needed_scopes("POST", "/rest/agile/1.0/sprint/2/issue") == {"write:sprint:jira-software"}


def test_the_jira_clients_planning_calls(site: Site, jira: JiraClient) -> None:
    people = jira.assignable_users(PROJECT, "m")
    assert [(p.account_id, p.display_name) for p in people] == [(BACK_END_DEV.account_id, "Mei Chen")]
    assert people[0].avatar_url.endswith("?s=48")
    assert jira.is_assignable(PROJECT, SITE_BUILDER.account_id) is True
    assert jira.is_assignable(PROJECT, STAKEHOLDER.account_id) is False
    types = {t.name: t.hierarchy_level for t in jira.issue_types(PROJECT)}
    assert types["Epic"] == 1 and types["Task"] == 0 and types["Subtask"] == -1
    fields = jira.create_fields(PROJECT, "10001")
    assert fields[STORY_POINTS_FIELD_KEY].custom == "com.pyxis.greenhopper.jira:jsw-story-points"
    [board] = jira.boards(PROJECT)
    sprints = jira.open_sprints(board.id)
    assert [s.state for s in sprints] == ["active", "future"] and board.type == "scrum"
    keys = [c["key"] for c in call(site, "POST", "/rest/api/3/issue/bulk", json={
        "issueUpdates": [issue(f"i{n}") for n in range(50)]}).json()["issues"]]  # fmt: skip
    keys += [jira.create_issue(issue("fifty-first")).key]
    moves = "POST /rest/agile/1.0/sprint/{sprint}/issue"
    before = site.stats()["requests"].get(moves, {}).get("statuses", {}).get("204", 0)
    jira.move_to_sprint(sprints[1].id, keys)  # 51 issues: two requests of at most 50
    assert site.stats()["requests"][moves]["statuses"]["204"] - before == 2
    for key in (keys[0], keys[-1]):
        assert (
            jira.get_issue(key, fields=[SPRINT_FIELD_KEY])["fields"][SPRINT_FIELD_KEY][0]["id"]
            == sprints[1].id
        )
    with pytest.raises(JiraError) as closed:
        jira.move_to_sprint(sprints[0].id - 1, keys[:1])  # the board's closed sprint
    assert (closed.value.kind, closed.value.status) == ("user", 400) and "closed" in closed.value.message


def test_without_assign_issues_the_app_sees_no_assignee_field_and_nobody_to_assign(
    site: Site, jira: JiraClient
) -> None:
    site.permissions(
        "app", projects={"*": ["BROWSE_PROJECTS", "CREATE_ISSUES", "LINK_ISSUES", "CREATE_ATTACHMENTS"]}
    )
    assert "assignee" not in jira.create_fields(PROJECT, "10001")
    body = issue("assigned without the right")
    body["fields"]["assignee"] = {"accountId": SITE_BUILDER.account_id}
    assert refused(jira, body).errors == {
        "assignee": "Field 'assignee' cannot be set. It is not on the appropriate screen, or unknown."
    }
    assert jira.assignable_users(PROJECT, "pri") == []


def test_the_estimation_and_sprint_fields_are_found_by_type_on_the_create_screen(
    site: Site, jira: JiraClient
) -> None:
    screen = jira.create_fields(PROJECT, "10001")
    assert estimation_field(screen) == Estimation(STORY_POINTS_FIELD_KEY, "story_points")
    assert sprint_field(screen) == SPRINT_FIELD_KEY
    site.settings(estimation="original_estimate", boards=False)
    screen = jira.create_fields(PROJECT, "10001")
    assert estimation_field(screen) == Estimation("timetracking", "original_estimate")
    assert sprint_field(screen) is None
    site.settings(estimation="")
    assert estimation_field(jira.create_fields(PROJECT, "10001")) is None


def test_the_admin_stats_say_who_has_which_issues_in_which_sprint_under_which_parent(
    site: Site, jira: JiraClient
) -> None:
    """What the Plan step's browser test compares the panel's totals with."""
    site.admin_call("POST", "reset")
    epic = jira.create_issue({"fields": {**issue("Epic")["fields"], "issuetype": {"id": EPIC}}})
    for summary, person, points in (("a", FRONT_END_DEV, 3), ("b", FRONT_END_DEV, 5), ("c", SITE_BUILDER, 1)):
        fields = {**issue(summary)["fields"], "parent": {"key": epic.key}, SPRINT_FIELD_KEY: 2,
                  "assignee": {"accountId": person.account_id}, STORY_POINTS_FIELD_KEY: points}  # fmt: skip
        jira.create_issue({"fields": fields})
    assert site.stats()["planned"] == {
        "by_assignee": {FRONT_END_DEV.account_id: {"issues": 2, "points": 8},
                        SITE_BUILDER.account_id: {"issues": 1, "points": 1}, "": {"issues": 1, "points": 0}},
        "by_sprint": {"2": 3, "": 1},
        "by_parent": {epic.key: 3, "": 1},
    }  # fmt: skip
