"""Search indexing asked for (Srch. = y, views on a Search API index) with no index defined anywhere: one
question for the whole spec, on every row that asks."""

from __future__ import annotations

from tests.review._sheets import index
from tests.review.conftest import bundle
from ticketgen.planner import plan
from ticketgen.planner.index import SpecIndex
from ticketgen.review import NEEDS_DECISION, search
from ticketgen.spec.model import Spec

BUNDLES, VIEWS = "UWEC_Bundles.csv", "UWEC_CustomViews.csv"


def test_uwec_asks_once_for_the_search_index(uwec_index: SpecIndex) -> None:
    (q,) = search.check(uwec_index)
    assert q.code == "search_index_undefined" and q.topic == "links"
    # Academic Program, College, Department, General Pages, Profile, Story Library; the three index views
    assert q.rows == (
        *((BUNDLES, n) for n in (2, 4, 6, 9, 13, 15)),
        *((VIEWS, n) for n in (9, 11, 12)),
    )
    assert (q.finding.row, q.finding.column, q.finding.value) == (2, "Srch.", "y")
    assert q.message.startswith(
        "Search indexing is asked for (Academic Program, College, Department, General Pages, Profile, Story "
        "Library, Profile Search, Program Search and 1 more), but no sheet defines the Search API server"
    )


def test_uwec_search_question_reaches_the_tickets_that_ask(uwec_spec: Spec) -> None:
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    asked = {k for k, d in drafts.items() if "search_index_undefined" in {q["code"] for q in d.questions}}
    assert {"bundle:node.academic_program", "bundle:node.news", "view:site_search"} <= asked
    assert "bundle:node.job" not in asked  # Srch. = n
    assert NEEDS_DECISION in drafts["view:site_search"].labels


def _bundle(name: str, srch: str, status: str = "a") -> dict[str, str]:
    return {**bundle(name, name.lower(), status=status), "Srch.": srch}


def _view(name: str, base_table: str, status: str = "a") -> dict[str, str]:
    return {"View name": name, "Machine name": name.lower(), "X": status, "Base table": base_table}


def test_silent_when_nothing_asks_for_search() -> None:
    index_ = index(
        bundles=[_bundle("Job", "n"), _bundle("Old", "y", status="d"), _bundle("Blank", "")],
        views=[_view("Jobs", "Content"), _view("Site Search", "Index Content", status="x")],
    )
    assert list(search.check(index_)) == []


def test_one_question_anchored_on_the_first_row_that_asks() -> None:
    index_ = index(
        bundles=[_bundle("Job", "n"), _bundle("News", "Y"), _bundle("Event", "yes", status="w")],
        views=[_view("Jobs", "Content"), _view("Site Search", "Index Content")],
    )
    (q,) = search.check(index_)
    assert q.rows == (("T_bundles.csv", 3), ("T_bundles.csv", 4), ("T_views.csv", 3))
    assert q.message.startswith("Search indexing is asked for (News, Event, Site Search)")
    assert "Add the search index to the spec" in q.finding.hint


def test_a_view_alone_asks_and_the_question_sits_on_its_base_table() -> None:
    (q,) = search.check(index(views=[_view("Site Search", "Index Content")]))
    assert (q.finding.file, q.finding.row, q.finding.column, q.finding.value) == (
        "T_views.csv", 2, "Base table", "Index Content",
    )  # fmt: skip


def test_a_long_list_is_cut_but_every_row_is_kept() -> None:
    (q,) = search.check(index(bundles=[_bundle(f"Type{i}", "y") for i in range(10)]))
    assert "(Type0, Type1, Type2, Type3, Type4, Type5, Type6, Type7 and 2 more)" in q.message
    assert len(q.rows) == 10
