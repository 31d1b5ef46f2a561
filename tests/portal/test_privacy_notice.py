"""The privacy notice says what the code and the deployment files do, with their numbers."""

import configparser
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse

from enquiries.access import SEE_EVERY_ENQUIRY

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PRIVACY_URL = reverse("portal:page-detail", kwargs={"slug": "privacy"})
LOG_DIR = "/var/log/mutuals"


def notice(client):
    """The notice as a reader sees it: tags gone, spaces collapsed, apostrophes plain."""
    cache.clear()  # a cached copy would show the values of an earlier request
    response = client.get(PRIVACY_URL)
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "{" not in main, "a placeholder is left"
    text = re.sub(r"<[^>]+>", " ", main).replace("&#x27;", "'").replace("&quot;", '"')
    return " ".join(text.split())


def test_the_notice_shows_each_period_from_its_setting(client, shipped, settings):
    settings.SERVER_LOG_RETENTION_DAYS = 14
    settings.SIGN_IN_ATTEMPT_RETENTION_DAYS = 30
    settings.SIGN_IN_LOG_RETENTION_DAYS = 90
    settings.ENQUIRY_RETENTION_MONTHS = 24
    text = notice(client)
    assert "We delete them after 14 days." in text
    assert "We delete server logs after 14 days." in text
    assert "failed attempts 30 days after the latest attempt" in text
    assert "signing in and out 90 days after they are made" in text

    settings.SERVER_LOG_RETENTION_DAYS = 1
    settings.SIGN_IN_ATTEMPT_RETENTION_DAYS = 45
    settings.SIGN_IN_LOG_RETENTION_DAYS = 120
    settings.ENQUIRY_RETENTION_MONTHS = 18
    text = notice(client)

    assert "We delete them after 1 day." in text
    assert "failed attempts 45 days after the latest attempt" in text
    assert "signing in and out 120 days after they are made" in text
    assert "for 18 months after we close it" in text
    assert "We then remove your details 18 months later" in text
    for old in ("14 days", "30 days", "90 days", "24 months"):
        assert old not in text, old


def test_the_notice_gives_the_page_feedback_period_from_its_setting(client, shipped, settings):
    settings.PAGE_FEEDBACK_RETENTION_DAYS = 365
    assert "We delete each answer 365 days after you send it." in notice(client)
    settings.PAGE_FEEDBACK_RETENTION_DAYS = 200
    text = notice(client)
    assert "We delete each answer 200 days after you send it." in text
    assert "365 days" not in text


def test_the_notice_says_who_sees_every_enquiry_and_that_is_all_the_code_allows(client, shipped):
    text = notice(client)
    assert (
        "These people can see every enquiry sent through this website: the people in the "
        "Cabinet Office Mutuals Team who handle enquiries the website's administrators"
    ) in text
    assert "they can see only the enquiries passed to their organisation" in text
    assert "Nobody else who works on this website" in text

    # The permission behind "every enquiry" is held by the Mutuals Team's handlers' group
    # alone, and by superusers (the administrators), who hold every permission.
    app_label, codename = SEE_EVERY_ENQUIRY.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    assert list(Group.objects.filter(permissions=permission).values_list("name", flat=True)) == [
        "Mutuals Team handlers"
    ]
    assert not permission.user_set.exists()


def test_the_notice_covers_partners_logs_idle_enquiries_and_complaints(client, shipped):
    text = notice(client)

    # Partners who reply from their own systems hold their own copy as controllers.
    assert "the partner is the data controller for it" in text
    # Server logs: addresses, search terms, and how long.
    assert "your internet (IP) address" in text
    assert "any words you typed into a search box" in text
    # An enquiry nobody closes is closed, then its details go like any other's.
    assert "we close it as not pursued" in text
    # Complaints go to the service first, and the ICO is always open.
    complain = text.split("How to complain", 1)[1]
    assert "complain to us first at mutuals@example.org" in complain
    assert "Data (Use and Access) Act 2025" in complain
    assert "Information Commissioner's Office (ICO)" in complain
    assert "at any time" in complain


def test_the_notice_asks_for_no_consent_and_claims_no_anonymity(client, shipped):
    text = notice(client)

    assert "confirms that you have read this notice" in text
    assert "we do not ask for your consent" in text
    assert "anonymis" not in text.lower()
    assert "without anything that identifies you" not in text
    assert "We do not call this anonymous" in text
    # The choice about trade union membership, and why, in the notice.
    assert "We do not ask whether you are a trade union representative" in text
    assert "special category" in text
    assert 'You can choose "Staff representative" instead' in text


# The deployment keeps the logs exactly as long as the setting the notice shows.


def logrotate_config():
    return (DEPLOY / "logrotate" / "mutuals").read_text()


def directives(config):
    body = config.split("{", 1)[1].split("}", 1)[0]
    lines = [line.split("#", 1)[0].split() for line in body.splitlines()]
    return {line[0]: line[1:] for line in lines if line}


def test_logrotate_keeps_every_server_log_for_the_period_the_notice_gives():
    config = logrotate_config()
    days = django_settings.SERVER_LOG_RETENTION_DAYS
    rules = directives(config)

    paths = [line for line in config.splitlines() if line.endswith("{")]
    assert paths == [f"{LOG_DIR}/*.log {{"]
    assert "daily" in rules
    # Today's file and the days - 1 before it: no line older than the setting.
    assert rules["rotate"] == [str(days - 1)]
    assert rules["maxage"] == [str(days)]
    assert f"kept {days} days" in config


def test_every_server_log_is_written_where_logrotate_looks():
    conf = (DEPLOY / "nginx" / "portal.conf").read_text()
    assert "access_log ${LOG_DIR}/nginx-access.log combined;" in conf
    assert "error_log ${LOG_DIR}/nginx-error.log warn;" in conf
    assert "access_log off" not in conf

    for name in ("web", "worker", "scheduler"):
        unit = configparser.ConfigParser(interpolation=None)
        unit.read(DEPLOY / "systemd" / f"mutuals-{name}.service")
        service = unit["Service"]
        assert service["StandardOutput"] == f"append:{LOG_DIR}/{name}.log", name
        assert service["StandardError"] == f"append:{LOG_DIR}/{name}.log", name


@pytest.mark.system
@pytest.mark.skipif(not shutil.which("logrotate"), reason="logrotate is not installed")
def test_logrotate_deletes_what_is_older_than_the_period(tmp_path):
    """Run the shipped rules on a copy of the log folder, one forced rotation a day."""
    days = django_settings.SERVER_LOG_RETENTION_DAYS
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o750)
    config = tmp_path / "mutuals"
    config.write_text(logrotate_config().replace(LOG_DIR, str(logs)))
    config.chmod(0o644)
    web = logs / "web.log"

    for day in range(days + 5):
        web.write_text(f"GET /resources/?q=day-{day}\n")
        result = subprocess.run(
            ["logrotate", "--force", "--state", str(tmp_path / "state"), str(config)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    web.write_text(f"GET /resources/?q=day-{days + 5}\n")

    kept = sorted(path.name for path in logs.iterdir())
    # The current file and days - 1 earlier ones: each holds one day.
    assert len(kept) == days, kept
    assert kept[0] == "web.log"
    assert (logs / "web.log.1").read_text() == f"GET /resources/?q=day-{days + 4}\n"


@pytest.mark.system
@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_log_settings(tmp_path):
    template = string.Template((DEPLOY / "nginx" / "portal.conf").read_text())
    # safe_substitute: nginx's own variables ($remote_addr) stay as they are.
    site = template.safe_substitute(
        LISTEN="127.0.0.1:8999", APP_SERVER_1="127.0.0.1:9001", APP_SERVER_2="127.0.0.1:9002",
        LOG_DIR=str(tmp_path),
    )  # fmt: skip
    assert "${LOG_DIR}" not in site
    (tmp_path / "portal.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/main-error.log warn;\n"
        "events { worker_connections 16; }\n"
        f"http {{\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n  fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp_path}/uwsgi;\n  scgi_temp_path {tmp_path}/scgi;\n"
        f"  include {tmp_path}/portal.conf;\n}}\n"
    )

    result = subprocess.run(
        [shutil.which("nginx"), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "nginx-access.log").exists()
    assert (tmp_path / "nginx-error.log").exists()
