"""The guide's shipped stages and tasks."""


def load_guide(reset, report):
    """Stages and tasks arrive with the guide's models."""
