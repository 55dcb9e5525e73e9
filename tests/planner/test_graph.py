"""DependencyGraph: cycle refusal naming the cycle, removal, deterministic topological order."""

from __future__ import annotations

import pytest

from ticketgen.planner import CycleError, DependencyGraph


def test_order_ties_by_kind_then_spec_order() -> None:
    g = DependencyGraph(["workflow:w", "view:b", "view:a", "fields:node.x", "bundle:node.y", "bundle:node.x"])
    assert g.order() == ["bundle:node.y", "bundle:node.x", "fields:node.x", "view:b", "view:a", "workflow:w"]


def test_order_respects_edges_before_tie_breaks() -> None:
    g = DependencyGraph(["bundle:node.a", "view:v", "user_role:r", "fields:node.a"])
    g.add("view:v", "bundle:node.a")  # a manual edge against kind order
    g.add("user_role:r", "view:v")
    assert g.order() == ["user_role:r", "fields:node.a", "view:v", "bundle:node.a"]  # roles come first
    assert g.blockers("view:v") == ["user_role:r"] and g.blocked_by("view:v") == ["bundle:node.a"]


def test_unknown_kinds_go_last() -> None:
    g = DependencyGraph(["custom:z", "bundle:node.a"])
    assert g.order() == ["bundle:node.a", "custom:z"]


def test_cycle_is_refused_and_named() -> None:
    g = DependencyGraph(["fields:node.a", "view:x"])
    g.add("view:x", "fields:node.a")
    with pytest.raises(CycleError) as raised:
        g.add("fields:node.a", "view:x")
    assert raised.value.cycle == ["fields:node.a", "view:x", "fields:node.a"]
    assert "fields:node.a → view:x → fields:node.a" in str(raised.value)
    assert g.edges() == [("view:x", "fields:node.a")]  # nothing half-added


def test_long_cycle_and_self_loop() -> None:
    g = DependencyGraph(["a:1", "a:2", "a:3", "a:4"])
    g.add("a:1", "a:2")
    g.add("a:2", "a:3")
    g.add("a:3", "a:4")
    assert g.would_cycle("a:4", "a:1") == ["a:4", "a:1", "a:2", "a:3", "a:4"]
    assert g.would_cycle("a:1", "a:4") is None
    with pytest.raises(CycleError, match="a:2 → a:2"):
        g.add("a:2", "a:2")


def test_remove_then_add_back_the_other_way() -> None:
    g = DependencyGraph(["a:1", "a:2"])
    g.add("a:1", "a:2")
    assert g.would_cycle("a:2", "a:1")
    assert g.remove("a:1", "a:2") is True
    assert g.remove("a:1", "a:2") is False
    g.add("a:2", "a:1")
    assert g.order() == ["a:2", "a:1"]


def test_adding_an_edge_twice_is_harmless() -> None:
    g = DependencyGraph(["a:1", "a:2"])
    g.add("a:1", "a:2")
    g.add("a:1", "a:2")
    assert g.edges() == [("a:1", "a:2")]


def test_unknown_key_is_refused() -> None:
    g = DependencyGraph(["a:1"])
    with pytest.raises(KeyError, match="a:9"):
        g.add("a:1", "a:9")
    assert "a:9" not in g and len(g) == 1
