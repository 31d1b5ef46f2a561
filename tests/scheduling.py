"""Firing scheduled jobs in tests the way the scheduler does, then running them on the worker."""

from crontask import scheduler
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import portal.tasks  # noqa: F401  imported by `manage.py crontask` too: it registers the schedule


def scheduled_jobs():
    """{task path: the scheduler's job} for every scheduled task."""
    jobs = {}
    for job in scheduler.get_jobs():
        path = job.func.__self__.task.module_path
        assert path not in jobs, f"{path} is scheduled twice"
        jobs[path] = job
    return jobs


def run_worker():
    """Run every queued task, as `manage.py db_worker` does, and stop."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def run_scheduled(path):
    """Fire the job as the scheduler does when its time comes, then run the worker once.

    Needs a transactional database: each firing closes the database connection it used, as
    the long-running scheduler must.
    """
    job = scheduled_jobs()[path]
    job.func(*job.args, **job.kwargs)
    run_worker()
    results = list(DBTaskResult.objects.filter(task_path=path))
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL], [
        r.traceback for r in results
    ]
    return results[0]
