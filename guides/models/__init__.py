"""The guide (stages and tasks) and the resource library (topics, publishers, resources)."""

from .guide import MARKDOWN_HELP, Stage, StageQuerySet, Task, TaskQuerySet
from .library import Publisher, Resource, ResourceQuerySet, Topic

__all__ = [
    "MARKDOWN_HELP",
    "Publisher",
    "Resource",
    "ResourceQuerySet",
    "Stage",
    "StageQuerySet",
    "Task",
    "TaskQuerySet",
    "Topic",
]
