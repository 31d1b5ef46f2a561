"""The readiness check, "Are you ready to spin out?": questions that place a reader at a stage
of the guide and hand them the next tasks, resources and partners (rules.py decides)."""
