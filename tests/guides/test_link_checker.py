import datetime
import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guides.models import Resource
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check(*args):
    out = StringIO()
    # /slow never answers until the test ends, so it times out whatever the limit; a roomy
    # limit keeps the quick pages from timing out on a busy machine.
    call_command("check_resource_links", "--timeout", "3", *args, stdout=out)
    return out.getvalue()


def test_statuses_and_errors_are_recorded(site, closed_port, make_resource):
    paths = ["/ok", "/missing", "/no-head", "/moved", "/loop", "/slow"]
    resources = {path: make_resource(external_url=site + path) for path in paths}
    resources["refused"] = make_resource(external_url=f"http://127.0.0.1:{closed_port}/")

    output = check()

    found = {
        key: Resource.objects.values_list("link_status", "link_error").get(pk=resource.pk)
        for key, resource in resources.items()
    }
    assert found == {
        "/ok": (200, ""),
        "/missing": (404, ""),
        "/no-head": (200, ""),
        "/moved": (200, ""),
        "/loop": (None, "Too many redirects"),
        "/slow": (None, "Timed out"),
        "refused": (None, "Could not connect"),
    }
    assert "7 checked: 3 OK, 4 broken" in output
    assert all(resource.link_checked_at is not None for resource in Resource.objects.all())


def test_get_is_tried_only_where_head_is_refused(site, site_requests, make_resource):
    make_resource(external_url=site + "/no-head")
    make_resource(external_url=site + "/ok")
    check("--concurrency", "1")
    assert sorted(site_requests) == [
        ("GET", "/no-head"),
        ("HEAD", "/no-head"),
        ("HEAD", "/ok"),
    ]


def test_progress_is_reported_line_by_line(site, make_resource):
    make_resource(external_url=site + "/ok")
    make_resource(external_url=site + "/missing")
    # One at a time, so the lines come in a known order.
    assert check("--concurrency", "1").splitlines() == [
        f"[1/2] 200 {site}/ok",
        f"[2/2] 404 {site}/missing",
        "2 checked: 1 OK, 1 broken",
    ]


def test_only_published_resources_with_a_web_address_are_checked(
    site, site_requests, make_resource
):
    draft = make_resource(external_url=site + "/ok", status=Status.DRAFT)
    no_link = make_resource()
    output = check()
    assert "0 checked: 0 OK, 0 broken" in output
    assert site_requests == []
    for resource in (draft, no_link):
        resource.refresh_from_db()
        assert resource.link_checked_at is None


def test_recording_a_check_leaves_history_and_modified_alone(site, make_resource):
    resource = make_resource(external_url=site + "/missing")
    modified = resource.modified
    check()
    resource.refresh_from_db()
    assert resource.link_is_broken
    assert resource.modified == modified
    assert resource.history.count() == 1


def test_a_fixed_link_is_no_longer_broken(site, make_resource):
    resource = make_resource(
        external_url=site + "/ok",
        link_error="Timed out",
        link_checked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    check()
    resource.refresh_from_db()
    assert not resource.link_is_broken
    assert resource.link_checked_at.year == datetime.datetime.now(datetime.UTC).year


def test_exit_status_is_zero_unless_asked_to_fail(site, make_resource):
    make_resource(external_url=site + "/missing")
    check()  # no error raised: exit status 0
    with pytest.raises(CommandError) as error:
        check("--fail-on-broken")
    assert error.value.returncode == 1


def test_bad_options_are_refused(db):
    with pytest.raises(CommandError):
        check("--concurrency", "0")


def test_an_address_that_cannot_be_requested_is_recorded_not_fatal(site, make_resource):
    odd = make_resource(external_url="ftp://example.org/file.pdf")
    good = make_resource(external_url=site + "/ok")
    output = check()
    odd.refresh_from_db()
    good.refresh_from_db()
    assert odd.link_error == "Not a web address that can be checked"
    assert good.link_status == 200
    assert "2 checked: 1 OK, 1 broken" in output
