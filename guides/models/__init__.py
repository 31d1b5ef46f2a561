"""The guide's models (stages and tasks, in guide.py) and the resource library's (topics,
publishers and resources, in guides/library/models.py): all of them the guides app's."""

from guides.library.models import Publisher, Resource, ResourceQuerySet, Topic

from .guide import Stage, StageQuerySet, Task, TaskQuerySet

__all__ = [
    "Publisher",
    "Resource",
    "ResourceQuerySet",
    "Stage",
    "StageQuerySet",
    "Task",
    "TaskQuerySet",
    "Topic",
]
