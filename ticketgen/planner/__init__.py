"""Ticket planner: a validated spec in, ticket drafts with exact reference tables and dependencies out."""

from ticketgen.planner.coverage import Coverage, MissingCell, coverage
from ticketgen.planner.graph import CycleError, DependencyGraph
from ticketgen.planner.plan import Plan, plan

__all__ = ["Coverage", "CycleError", "DependencyGraph", "MissingCell", "Plan", "coverage", "plan"]
