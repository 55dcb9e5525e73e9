"""Drupal Ticket Generator: the pure core (spec engine, planner, writers, ADF). No I/O here."""
