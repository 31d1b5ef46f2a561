"""The site's own housekeeping and scheduled publishing, run by the task worker when the
scheduler queues them.

`manage.py crontask` finds scheduled jobs by importing each installed app's `tasks` module;
this one registers the whole timetable, portal/schedule.py, at the end.
"""

import logging
from datetime import timedelta
from importlib import import_module

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from .core.scheduled import publish_due
from .feedback.models import PageFeedback
from .site_search.counting import remove_old_counts

logger = logging.getLogger(__name__)

# Finished background tasks (email sends, these jobs) are kept this long for checking, as
# django-tasks-db suggests, then deleted.
TASK_RESULT_RETENTION_DAYS = 14


@task()
def clear_expired_sessions():
    """Delete sessions past their expiry date, as `manage.py clearsessions` does."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@task()
def remove_old_sign_in_records():
    """Delete sign-in records older than the periods the privacy notice gives."""
    now = timezone.now()
    # Never an attempt that still counts towards a lockout, whatever the settings say.
    keep = max(timedelta(days=settings.SIGN_IN_ATTEMPT_RETENTION_DAYS), settings.AXES_COOLOFF_TIME)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - keep).delete()
    failures = AxesProxyHandler.reset_failure_logs(age_days=keep.days)
    logs = AxesProxyHandler.reset_logs(age_days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    logger.info(
        "Deleted %s failed sign-in attempt(s), %s failure log(s) and %s sign-in log(s)",
        attempts,
        failures,
        logs,
    )
    return {"attempts": attempts, "failure_logs": failures, "logs": logs}


@task()
def prune_task_results():
    """Delete finished background task results older than TASK_RESULT_RETENTION_DAYS."""
    call_command("prune_db_task_results", min_age_days=TASK_RESULT_RETENTION_DAYS, queue_name="*")


@task()
def publish_scheduled():
    """Publish the drafts, and unpublish the items, whose scheduled time has come."""
    done = publish_due()
    if done["published"] or done["unpublished"]:
        logger.info(
            "Published %s and unpublished %s item(s) as scheduled",
            done["published"],
            done["unpublished"],
        )
    return done


@task()
def remove_old_page_feedback():
    """Delete answers to "Is this page useful?" older than PAGE_FEEDBACK_RETENTION_DAYS."""
    deleted, _ = PageFeedback.objects.expired().delete()
    logger.info("Deleted %s page feedback answer(s)", deleted)
    return {"page_feedback": deleted}


@task()
def remove_old_search_counts():
    """Delete counts of what people searched for older than SEARCH_COUNT_RETENTION_MONTHS."""
    deleted = remove_old_counts()
    logger.info(
        "Deleted %s search count(s) and %s search term(s)",
        deleted["search_counts"],
        deleted["search_terms"],
    )
    return deleted


# Last: the timetable names the tasks above.
from .schedule import register_schedule  # noqa: E402

register_schedule()
