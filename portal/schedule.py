"""When the scheduler queues each job: the whole timetable, in one place.

The scheduler is `manage.py crontask` (django-crontask), started by `make run` beside the
development server and by `make scheduler` in production. It only queues each job at its time;
the task worker (`manage.py db_worker`) runs it. Each job is a task in the app that owns it.

crontask finds jobs by importing every installed app's `tasks` module: portal/tasks.py calls
register_schedule() below. Times are UK time (TIME_ZONE), as in crontab: minute, hour, day of
the month, month, day of the week. crontask wants days of the week as names (Mon), not numbers.
docs/operations.md gives the same table for operators.
"""

from crontask import cron, scheduler
from django.db import close_old_connections
from django.utils.module_loading import import_string

SCHEDULE = {
    # Every minute: publish and unpublish the content whose scheduled time has come.
    "portal.tasks.publish_scheduled": "* * * * *",
    # Every 5 minutes: queue again enquiry email that no worker holds (a worker killed mid-send).
    "enquiries.tasks.sweep_stuck_emails": "*/5 * * * *",
    # Daily at 03:15: delete expired sessions (guide progress, unsent contact forms).
    "portal.tasks.clear_expired_sessions": "15 3 * * *",
    # Daily at 03:30: close enquiries left without activity, then remove personal data from
    # enquiries closed longer ago than ENQUIRY_RETENTION_MONTHS.
    "enquiries.retention.apply_retention": "30 3 * * *",
    # Daily at 03:45: delete sign-in records older than SIGN_IN_*_RETENTION_DAYS.
    "portal.tasks.remove_old_sign_in_records": "45 3 * * *",
    # Daily at 03:50: delete answers to "Is this page useful?" older than
    # PAGE_FEEDBACK_RETENTION_DAYS.
    "portal.tasks.remove_old_page_feedback": "50 3 * * *",
    # Daily at 03:55: delete counts of what people searched for older than
    # SEARCH_COUNT_RETENTION_MONTHS.
    "portal.tasks.remove_old_search_counts": "55 3 * * *",
    # Daily at 04:00: delete finished background task results older than 14 days.
    "portal.tasks.prune_task_results": "0 4 * * *",
    # Mondays at 06:00: check every published resource's web address.
    "guides.tasks.check_resource_links": "0 6 * * Mon",
    # Mondays at 07:00: email each owner the content they should review (overdue or due soon).
    "portal.review_reminders.send_review_reminders": "0 7 * * Mon",
}


# A job whose time came while the process was held up (a busy machine) still runs if it is at
# most this late; APScheduler's default, 1 second, would skip a day's job, or a renewal of the
# lock, which then lapses and lets a second scheduler start.
MISFIRE_GRACE_SECONDS = 300


class Queue:
    """What the scheduler runs for one task: queue it, on a database connection that works.

    The scheduler lives for weeks outside any request, where Django never drops a connection
    that broke (a database restart, say), so each run starts and ends as a request would.
    """

    def __init__(self, task):
        self.task = task
        self.name = task.name

    def enqueue(self):
        close_old_connections()
        try:
            return self.task.enqueue()
        finally:
            close_old_connections()


_registered = False


def register_schedule():
    """Give crontask every job in SCHEDULE, once per process."""
    global _registered
    if _registered:
        return
    # Applies to every job, the lock's renewal included, when the scheduler starts.
    scheduler.configure(job_defaults={"misfire_grace_time": MISFIRE_GRACE_SECONDS})
    for path, expression in SCHEDULE.items():
        # No Sentry monitor: Sentry is not used.
        cron(expression, sentry_monitor_config=None)(Queue(import_string(path)))
    _registered = True
