"""The template writer's copy, one module per ticket kind (the same kinds as `ticketgen.planner.kinds`)."""
