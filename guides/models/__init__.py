"""The guide's models (stages and tasks, in guide.py) and the resource library's (topics,
publishers and resources, in guides/library/models.py): all of them the guides app's."""

from guides.library.models import Publisher, Resource, ResourceQuerySet, Topic
from guides.readiness.models import Option, Question, ReadinessCount

from .guide import Stage, StageQuerySet, Task, TaskQuerySet

__all__ = [
    "Option",
    "Question",
    "ReadinessCount",
    "Publisher",
    "Resource",
    "ResourceQuerySet",
    "Stage",
    "StageQuerySet",
    "Task",
    "TaskQuerySet",
    "Topic",
]
