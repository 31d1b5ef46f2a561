"""A visitor's progress through the guide, kept in their session so no account is needed."""

SESSION_KEY = "guide_tasks_done"


class GuideProgress:
    """The tasks a visitor has marked as done, by task id."""

    def __init__(self, session):
        self.session = session

    @property
    def done_ids(self):
        stored = self.session.get(SESSION_KEY, [])
        return {task_id for task_id in stored if isinstance(task_id, int)}

    def is_done(self, task):
        return task.pk in self.done_ids

    def mark(self, task, done):
        done_ids = self.done_ids
        if done:
            done_ids.add(task.pk)
        else:
            done_ids.discard(task.pk)
        self.session[SESSION_KEY] = sorted(done_ids)

    def reset(self):
        self.session.pop(SESSION_KEY, None)

    def summary(self, tasks):
        """How many of these tasks are done, as (done, total)."""
        done_ids = self.done_ids
        tasks = list(tasks)
        return sum(task.pk in done_ids for task in tasks), len(tasks)
