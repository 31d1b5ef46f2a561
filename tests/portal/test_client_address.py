"""The client's address: X-Forwarded-For is believed only from trusted proxies.

The enquiry rate limit and the sign-in lockout both count by this address, so both are
checked through the real views, from a trusted proxy and from a client that forges the header.
"""

import re
from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from enquiries.models import Enquiry
from portal.middleware import client_ip_address
from tests.processes import PRODUCTION_ENV, manage

PASSWORD = "correct horse battery staple"  # make_staff's password
PROXY = "10.0.0.2"  # the proxy in front, in these tests
STRANGER = "192.0.2.50"  # an address that reaches the app server directly


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = [ip_network("10.0.0.0/24")]


def address(remote_addr, forwarded_for=None):
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)
    return client_ip_address(request)


# The address on its own


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.4", PROXY),  # no proxy declared: the header is the client's own
        (1, "198.51.100.4", "198.51.100.4"),
        (1, "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 198.51.100.4, 10.0.0.9", "198.51.100.4"),
        # The second entry was written by 198.51.100.4, which is no proxy of ours.
        (2, "6.6.6.6, 198.51.100.4", "198.51.100.4"),
        (2, "198.51.100.4", "198.51.100.4"),  # fewer entries than proxies
        (3, "10.0.0.7", "10.0.0.7"),  # every entry a proxy: the last one taken
        (1, "::ffff:198.51.100.4", "198.51.100.4"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "", PROXY),
        (1, None, PROXY),
        # Anything that is not an address ends the walk at the proxy that wrote it.
        (1, "unknown", PROXY),
        (1, "203.0.113.9:443", PROXY),
        (1, ",,,", PROXY),
        (1, "198.51.100.4,", PROXY),
        (1, "\x00\ufffd", PROXY),
        (2, "198.51.100.4, <script>", PROXY),
        (2, "198.51.100.4, 10.0.0.9:80", PROXY),
        (2, "not an address, 10.0.0.9", "10.0.0.9"),
        (1, "1.2.3.4, " * 10_000 + "198.51.100.4", "198.51.100.4"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    behind_a_proxy, settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert address(PROXY, forwarded_for) == expected


@pytest.mark.parametrize(
    "remote_addr",
    [STRANGER, "10.0.1.2", "2001:db8::7", "::ffff:192.0.2.50", "::a00:2"],
)
def test_a_request_from_outside_the_proxy_networks_is_judged_by_its_own_address(
    behind_a_proxy, remote_addr
):
    # "::a00:2" is an IPv6 address whose low bits spell 10.0.0.2: still not a proxy.
    expected = STRANGER if remote_addr == "::ffff:192.0.2.50" else remote_addr

    assert address(remote_addr, "198.51.100.4") == expected


@pytest.mark.parametrize("remote_addr", [None, "", "not an address"])
def test_an_unreadable_remote_addr_is_given_back_as_it_is(behind_a_proxy, remote_addr):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.4")
    request.META.pop("REMOTE_ADDR")
    if remote_addr is not None:
        request.META["REMOTE_ADDR"] = remote_addr

    assert client_ip_address(request) == remote_addr


def test_by_default_only_a_proxy_on_the_same_machine_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    networks = settings.TRUSTED_PROXY_NETWORKS

    assert networks == [ip_network("127.0.0.0/8"), ip_network("::1/128")]
    assert address("127.0.0.1", "198.51.100.4") == "198.51.100.4"
    assert address("::1", "198.51.100.4") == "198.51.100.4"
    assert address("10.0.0.2", "198.51.100.4") == "10.0.0.2"


@pytest.mark.system
def test_production_reads_the_proxy_networks_from_the_environment_and_refuses_bad_ones():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_NETWORKS)"

    default = manage("shell", "-c", code, env=PRODUCTION_ENV)
    chosen = manage(
        "shell", "-c", code, env={**PRODUCTION_ENV, "TRUSTED_PROXY_NETWORKS": "10.0.0.5,fd00::/8"}
    )
    bad = manage("shell", "-c", code, env={**PRODUCTION_ENV, "TRUSTED_PROXY_NETWORKS": "10.0.0"})

    assert default.stdout.strip().splitlines()[-1] == (
        "[IPv4Network('127.0.0.0/8'), IPv6Network('::1/128')]"
    ), default.stderr
    assert chosen.stdout.strip().splitlines()[-1] == (
        "[IPv4Network('10.0.0.5/32'), IPv6Network('fd00::/8')]"
    ), chosen.stderr
    assert bad.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXY_NETWORKS: '10.0.0' does not appear" in bad.stderr


# The enquiry rate limit


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def send_enquiry(client, data, **headers):
    """Answer the questions, then send from the check page; the status of the sending."""
    response = client.post(reverse("enquiries:contact"), data, **headers)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(reverse("enquiries:check"), **headers)
    token = re.search(r'name="token" value="([^"]+)"', check.content.decode()).group(1)
    return client.post(reverse("enquiries:check"), {"token": token}, **headers).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_enquiry_limit(
    client, enquiry_data, settings, behind_a_proxy, fresh_cache
):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    client.defaults["REMOTE_ADDR"] = PROXY

    first = send_enquiry(client, enquiry_data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    again = send_enquiry(client, enquiry_data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = send_enquiry(client, enquiry_data, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert (first, again, other) == (302, 429, 302)
    assert Enquiry.objects.count() == 2


def test_a_forged_forwarded_address_does_not_escape_the_enquiry_limit(
    client, enquiry_data, settings, behind_a_proxy, fresh_cache
):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    client.defaults["REMOTE_ADDR"] = STRANGER

    first = send_enquiry(client, enquiry_data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    forged = send_enquiry(client, enquiry_data, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert (first, forged) == (302, 429)
    assert Enquiry.objects.count() == 1


# The sign-in lockout


@pytest.fixture
def editor(make_staff):
    return make_staff("Content editors", username="editor")


def sign_in(client, password, **headers):
    data = {"username": "editor", "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, **headers).status_code


def test_behind_a_trusted_proxy_each_client_is_locked_out_apart(
    client, editor, settings, behind_a_proxy
):
    client.defaults["REMOTE_ADDR"] = PROXY
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nope", HTTP_X_FORWARDED_FOR="203.0.113.9")

    locked = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert (locked, other) == (429, 302)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_a_forged_forwarded_address_does_not_escape_the_sign_in_lockout(
    client, editor, settings, behind_a_proxy
):
    client.defaults["REMOTE_ADDR"] = STRANGER
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nope", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt + 1}")

    locked = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert locked == 429
    assert AccessAttempt.objects.get().ip_address == STRANGER
