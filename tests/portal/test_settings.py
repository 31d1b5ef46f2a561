import os

import pytest

from tests.processes import PRODUCTION_ENV, manage

# Each test starts manage.py in a process of its own, with production settings.
pytestmark = pytest.mark.system


@pytest.fixture(scope="module", autouse=True)
def collected_static():
    """Production pages name hashed static files: collect them as a deployment would, so a
    folder left by an earlier run, from older files, never decides what these tests see."""
    result = manage("collectstatic", "--no-input", "-v0", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_checks_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets_and_says_why():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "SECRET_KEY, ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_sends_email_over_smtp_from_email_url():
    env = {**PRODUCTION_ENV, "EMAIL_URL": "smtp+tls://user:secret@mail.example.org:587"}
    code = (
        "from django.conf import settings;"
        "o = settings.MAILERS['default']['OPTIONS'];"
        "print(o['host'], o['port'], o['use_tls'])"
    )

    result = manage("shell", "-c", code, env=env)

    assert result.stdout.strip().splitlines()[-1] == "mail.example.org 587 True", result.stderr


def test_cache_url_selects_redis_and_it_answers():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("CI"):
            raise AssertionError("CI must set REDIS_URL to a running Redis")
        pytest.skip("REDIS_URL is not set")
    env = {**PRODUCTION_ENV, "CACHE_URL": redis_url}
    code = (
        "from django.conf import settings; from django.core.cache import cache;"
        "cache.set('ci-probe', 'pong', 5);"
        "print(settings.CACHES['default']['BACKEND'], cache.get('ci-probe'))"
    )

    result = manage("shell", "-c", code, env=env)

    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.redis.RedisCache pong"
    ), result.stderr


def test_production_answers_health_checks_by_ip_address_over_plain_http():
    # A load balancer probes each app server by its address, which is not in ALLOWED_HOSTS.
    code = (
        "from django.test import Client; c = Client();"
        "h = c.get('/healthz', HTTP_HOST='10.0.0.7');"
        "p = c.get('/', HTTP_HOST='10.0.0.7', secure=True);"
        "print(h.status_code, h.content.decode().strip(), p.status_code)"
    )

    result = manage("shell", "-c", code, env=PRODUCTION_ENV)

    assert result.stdout.strip().splitlines()[-1] == "200 ok 400", result.stderr


def test_production_reads_the_client_address_through_one_proxy_by_default():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"

    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"})
    default = manage("shell", "-c", code, env=PRODUCTION_ENV)

    assert result.stdout.strip().splitlines()[-1] == "2", result.stderr
    assert default.stdout.strip().splitlines()[-1] == "1", default.stderr


def test_uploads_stay_on_local_disk_unless_a_bucket_is_named():
    code = (
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, getattr(s, 'bucket_name', '-'), getattr(s, 'default_acl', '-'))"
    )

    local = manage("shell", "-c", code, env=PRODUCTION_ENV)
    bucket = manage(
        "shell",
        "-c",
        code,
        env={
            **PRODUCTION_ENV,
            "AWS_STORAGE_BUCKET_NAME": "mutuals-uploads",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
        },
    )

    assert local.stdout.strip().splitlines()[-1] == "FileSystemStorage - -", local.stderr
    assert bucket.stdout.strip().splitlines()[-1] == "S3Storage mutuals-uploads private", (
        bucket.stderr
    )
