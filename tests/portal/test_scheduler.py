"""The scheduler: every job at its time, each doing its work once, one scheduler at a time."""

import configparser
import datetime
import os
import re
import signal
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import redis
from apscheduler.triggers.cron import CronTrigger
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.tasks import clear_expired_sessions, remove_old_sign_in_records
from tests.content_text import says
from tests.polling import wait_for
from tests.processes import ROOT, manage
from tests.scheduling import run_scheduled, run_worker, scheduled_jobs

LONDON = ZoneInfo("Europe/London")

# The timetable as docs/operations.md gives it.
EXPECTED = {
    "portal.tasks.publish_scheduled": "* * * * *",
    "enquiries.tasks.sweep_stuck_emails": "*/5 * * * *",
    "portal.tasks.clear_expired_sessions": "15 3 * * *",
    "enquiries.retention.apply_retention": "30 3 * * *",
    "portal.tasks.remove_old_sign_in_records": "45 3 * * *",
    "portal.tasks.remove_old_page_feedback": "50 3 * * *",
    "portal.tasks.remove_old_search_counts": "55 3 * * *",
    "portal.tasks.prune_task_results": "0 4 * * *",
    "guides.tasks.check_resource_links": "0 6 * * Mon",
    "portal.review_reminders.send_review_reminders": "0 7 * * Mon",
}
WEEK = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def daily(at):
    return [f"{day} {at}" for day in WEEK]


def every_five_minutes(missing_hour=None):
    return [
        f"{day} {hour:02d}:{minute:02d}"
        for day in WEEK
        for hour in range(24)
        if f"{day} {hour:02d}" != missing_hour
        for minute in range(0, 60, 5)
    ]


def every_minute(missing_hour=None):
    return [
        f"{day} {hour:02d}:{minute:02d}"
        for day in WEEK
        for hour in range(24)
        if f"{day} {hour:02d}" != missing_hour
        for minute in range(60)
    ]


EXPECTED_WEEK = {
    "portal.tasks.clear_expired_sessions": daily("03:15"),
    "enquiries.retention.apply_retention": daily("03:30"),
    "portal.tasks.remove_old_sign_in_records": daily("03:45"),
    "portal.tasks.remove_old_page_feedback": daily("03:50"),
    "portal.tasks.remove_old_search_counts": daily("03:55"),
    "portal.tasks.prune_task_results": daily("04:00"),
    "guides.tasks.check_resource_links": ["Mon 06:00"],
    "portal.review_reminders.send_review_reminders": ["Mon 07:00"],
}


def test_every_job_is_scheduled_with_its_cron_expression_in_uk_time():
    jobs = scheduled_jobs()

    assert set(jobs) == set(EXPECTED)
    for path, expression in EXPECTED.items():
        trigger = jobs[path].trigger
        assert str(trigger) == str(CronTrigger.from_crontab(expression, timezone=LONDON)), path
        assert trigger.timezone == LONDON


def fire_times(trigger, start, end):
    """When the scheduler would fire a trigger between two moments, as its clock moves on."""
    times, previous, now = [], None, start
    while (moment := trigger.get_next_fire_time(previous, now)) and moment < end:
        times.append(moment)
        previous = now = moment
    return times


@pytest.mark.parametrize(
    ("monday", "missing_hour"),
    [
        (datetime.date(2026, 11, 30), None),
        # Clocks go forward at 01:00 on Sunday 28 March 2027: that hour never happens.
        (datetime.date(2027, 3, 22), "Sun 01"),
    ],
    ids=["winter", "clocks-change"],
)
def test_in_a_week_each_job_fires_once_at_each_of_its_times(monday, missing_hour):
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=LONDON)
    end = start + datetime.timedelta(days=7)

    week = {
        path: [
            t.astimezone(LONDON).strftime("%a %H:%M") for t in fire_times(job.trigger, start, end)
        ]
        for path, job in scheduled_jobs().items()
    }

    assert week == {
        **EXPECTED_WEEK,
        "enquiries.tasks.sweep_stuck_emails": every_five_minutes(missing_hour),
        "portal.tasks.publish_scheduled": every_minute(missing_hour),
    }


@pytest.mark.django_db(transaction=True)
def test_the_sessions_job_deletes_expired_sessions_only():
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now)
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1)
    )

    run_scheduled("portal.tasks.clear_expired_sessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def sign_in_records(days_ago):
    """An attempt, a failure log and a sign-in log from `days_ago` days ago."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    fields = {"username": f"user-{days_ago}", "ip_address": "203.0.113.9", "user_agent": "x"}
    attempt = AccessAttempt.objects.create(
        **fields, get_data="", post_data="", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(**fields, locked_out=False)
    log = AccessLog.objects.create(**fields)
    # attempt_time is set on creation; move it back.
    for record in (attempt, failure, log):
        type(record).objects.filter(pk=record.pk).update(attempt_time=when)


def remaining(model):
    return sorted(model.objects.values_list("username", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_records_job_deletes_records_past_their_periods_and_keeps_recent_ones():
    for days_ago in (29, 31, 89, 91):
        sign_in_records(days_ago)

    result = run_scheduled("portal.tasks.remove_old_sign_in_records")

    assert result.return_value == {"attempts": 3, "failure_logs": 3, "logs": 1}
    assert remaining(AccessAttempt) == ["user-29"]
    assert remaining(AccessFailureLog) == ["user-29"]
    assert remaining(AccessLog) == ["user-29", "user-31", "user-89"]


def test_the_sign_in_periods_come_from_the_settings(db, settings):
    settings.SIGN_IN_ATTEMPT_RETENTION_DAYS = 10
    settings.SIGN_IN_LOG_RETENTION_DAYS = 30
    for days_ago in (9, 11, 29, 31):
        sign_in_records(days_ago)

    remove_old_sign_in_records.call()

    assert remaining(AccessAttempt) == ["user-9"]
    assert remaining(AccessFailureLog) == ["user-9"]
    assert remaining(AccessLog) == ["user-11", "user-29", "user-9"]


def test_an_attempt_still_locking_an_account_out_is_kept(db, settings):
    settings.SIGN_IN_ATTEMPT_RETENTION_DAYS = 1
    settings.AXES_COOLOFF_TIME = datetime.timedelta(days=3)
    sign_in_records(2)

    remove_old_sign_in_records.call()

    assert remaining(AccessAttempt) == ["user-2"]


@pytest.mark.django_db(transaction=True)
def test_the_task_results_job_deletes_finished_results_older_than_14_days():
    old, recent = (clear_expired_sessions.enqueue().id for _ in range(2))
    run_worker()
    now = timezone.now()
    DBTaskResult.objects.filter(id=old).update(finished_at=now - datetime.timedelta(days=15))
    DBTaskResult.objects.filter(id=recent).update(finished_at=now - datetime.timedelta(days=13))

    run_scheduled("portal.tasks.prune_task_results")

    sessions_results = DBTaskResult.objects.filter(task_path=clear_expired_sessions.module_path)
    assert [str(pk) for pk in sessions_results.values_list("id", flat=True)] == [recent]


@pytest.mark.system
def test_the_crontask_command_finds_every_job_by_itself():
    # A fresh process loads each app's tasks module as `manage.py crontask` does at start.
    code = (
        "from crontask import scheduler;"
        "from crontask.management.commands.crontask import Command;"
        "Command().load_tasks({});"
        "print(sorted(job.func.__self__.task.module_path for job in scheduler.get_jobs()))"
    )

    result = manage("shell", "-c", code, env=os.environ)

    assert result.stdout.strip().splitlines()[-1] == str(sorted(EXPECTED)), result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-scheduler-tests-0123456789",
    "ALLOWED_HOSTS": "mutuals.example.org",
    "PATH": os.environ["PATH"],
    "PYTHONUNBUFFERED": "1",
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10")
TICKS = "scheduler-test:ticks"
LOCK = "crontask-lock"

# A scheduler with one extra job that fires every 0.2 seconds and records which process ran
# it, then the real crontask command with the settings in force.
SCHEDULER_WITH_PROBE = f"""
import os
import re
import redis
from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.core.management import call_command

class Probe:
    name = "probe"

    def enqueue(self):
        redis.Redis.from_url(settings.CRONTASK["REDIS_URL"]).rpush("{TICKS}", os.getpid())

cron(IntervalTrigger(seconds=0.2), sentry_monitor_config=None)(Probe())
call_command("crontask", "--no-heartbeat")
"""


class Scheduler:
    """A scheduler process; what it prints goes to a file that can be read while it runs."""

    def __init__(self, tmp_path, name, env, code=SCHEDULER_WITH_PROBE):
        self.output = tmp_path / f"{name}.log"
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", code],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.pid = str(self.process.pid)

    def printed(self):
        return self.output.read_text()

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=30)


@pytest.fixture
def lock_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.delete(TICKS, LOCK)
    yield client
    client.delete(TICKS, LOCK)


@pytest.mark.system
def test_of_two_schedulers_only_the_lock_holder_runs_jobs_and_the_other_takes_over(
    lock_redis, tmp_path
):
    env = {
        **PRODUCTION_ENV,
        # Never the project's database: a real job that fell due would fail, not write.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}",
        "CACHE_URL": REDIS_URL,
    }
    ticks = lambda: [pid.decode() for pid in lock_redis.lrange(TICKS, 0, -1)]  # noqa: E731
    first = Scheduler(tmp_path, "first", env)
    second = None
    try:
        wait_for(lambda: "Starting scheduler" in first.printed(), "the first scheduler")
        second = Scheduler(tmp_path, "second", env)
        wait_for(lambda: "Acquiring lock" in second.printed(), "the second scheduler")
        wait_for(lambda: len(ticks()) >= 5, "the first scheduler's jobs")

        # Both are running; only the first runs jobs, the second waits for the lock.
        assert set(ticks()) == {first.pid}
        assert second.process.poll() is None
        assert "Starting scheduler" not in second.printed()

        # Held up well past a renewal (here: stopped), the first renews its lock late rather
        # than skipping the renewal, and keeps it.
        first.process.send_signal(signal.SIGSTOP)
        try:
            wait_for(lambda: 0 < lock_redis.pttl(LOCK) < 4000, "the lock to run low")
        finally:
            first.process.send_signal(signal.SIGCONT)
        wait_for(lambda: lock_redis.pttl(LOCK) > 15000, "the lock's renewal")
        count = len(ticks())
        wait_for(lambda: len(ticks()) >= count + 5, "the first scheduler's jobs again")
        assert set(ticks()) == {first.pid}
        assert "Starting scheduler" not in second.printed()

        # The first dies without letting go: its lock lapses and the second takes over.
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        wait_for(lambda: ticks().count(second.pid) >= 5, "the second scheduler's jobs")
        assert second.stop() == 0
    finally:
        first.stop(signal.SIGKILL)
        if second:
            second.stop(signal.SIGKILL)

    # Each tick ran in one scheduler: all of the first's, then all of the second's.
    runs = ticks()
    switch = runs.index(second.pid)
    assert set(runs[:switch]) == {first.pid} and set(runs[switch:]) == {second.pid}
    assert "Shutting down scheduler" in second.printed()
    assert lock_redis.get(LOCK) is None  # let go on a clean stop


@pytest.mark.system
def test_production_takes_the_lock_in_redis_from_cache_url_and_development_needs_no_redis():
    code = (
        "from django.conf import settings; from crontask import utils;"
        "print(settings.CRONTASK['REDIS_URL'], type(utils.lock).__name__)"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///unused.sqlite3"}

    with_redis = manage("shell", "-c", code, env={**env, "CACHE_URL": "redis://10.0.0.5:6379/2"})
    without = manage("shell", "-c", code, env=env)
    development = manage(
        "shell", "-c", code, env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    )

    assert with_redis.stdout.strip().splitlines()[-1] == "redis://10.0.0.5:6379/2 Lock"
    assert without.stdout.strip().splitlines()[-1] == "None FakeLock", without.stderr
    assert development.stdout.strip().splitlines()[-1] == "None FakeLock", development.stderr


@pytest.mark.system
def test_the_development_scheduler_starts_without_redis(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}",
        "PATH": os.environ["PATH"],
        "PYTHONUNBUFFERED": "1",
    }
    code = (
        "from django.core.management import call_command;call_command('crontask', '--no-heartbeat')"
    )
    scheduler = Scheduler(tmp_path, "development", env, code=code)
    try:
        # APScheduler's own line: crontask prints "Starting scheduler" just before starting it,
        # and a scheduler stopped in between fails to shut down.
        wait_for(lambda: "Scheduler started" in scheduler.printed(), "the scheduler")
    finally:
        assert scheduler.stop() == 0
    assert "Acquiring lock" not in scheduler.printed()


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_make_run_starts_the_scheduler_beside_the_server_and_the_worker():
    makefile = (ROOT / "Makefile").read_text()

    assert "honcho start -f Procfile" in makefile
    assert procfile() == {
        "web": "python manage.py runserver ${HOST:-127.0.0.1}:${PORT:-8000}",
        "worker": "python manage.py db_worker",
        "scheduler": "python manage.py crontask --no-heartbeat",
    }


def make_dry_run(target):
    """What make would run for `target`: a process of its own, which tries each Python it might
    use while reading the Makefile, so the tests that ask are system tests."""
    return subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "--always-make", target],
        cwd=ROOT,
        # Run from `make test`, make passes its own level and flags down; start afresh.
        env={k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.system
def test_make_scheduler_runs_crontask_with_production_settings():
    result = make_dry_run("scheduler")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "DJANGO_SETTINGS_MODULE=portal.settings.production .venv/bin/python manage.py "
        "crontask --no-heartbeat"
    )


@pytest.mark.system
def test_the_systemd_units_run_the_three_production_processes():
    units = {}
    for path in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        unit = configparser.ConfigParser(interpolation=None)
        unit.read(path)
        units[path.name] = unit["Service"]["ExecStart"]

    assert units == {
        "mutuals-scheduler.service": "/usr/bin/make scheduler",
        "mutuals-web.service": "/usr/bin/make serve",
        "mutuals-worker.service": "/usr/bin/make worker",
    }
    for target in ("serve", "worker", "scheduler"):
        assert make_dry_run(target).returncode == 0, target


def test_the_privacy_notice_gives_the_periods_the_jobs_use(shipped, client, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    cache.clear()
    html = " ".join(client.get("/privacy/").content.decode().split())
    text = re.sub(r"<[^>]+>", "", html)

    days = settings.SIGN_IN_ATTEMPT_RETENTION_DAYS, settings.SIGN_IN_LOG_RETENTION_DAYS
    assert days == (30, 90)  # the defaults the notice quotes; change both together
    assert says(text, "failed attempts", "30 days")
    assert says(text, "signing in and out", "90 days")
    assert says(text, "24 months", "not pursued")
    assert says(text, "remove your details", "24 months")
    assert says(text, "check for both", "every day")


def test_the_operations_guide_tables_every_scheduled_job():
    guide = (ROOT / "docs" / "operations.md").read_text()
    section = guide.split("## Scheduled jobs\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| [^|]+ \| `([\w.]+)` \|", section, flags=re.MULTILINE)

    assert set(rows) == set(EXPECTED)
