"""The admin with 100,000 enquiries: the enquiry list and the dashboard, signed in as a
partner's handler and as the Mutuals Team, measured like any page with their session cookie.
"""

import json
import re
from urllib.parse import urlencode

from portal.bench.client import Client

PASSWORD = "benchmark-only-password-8c1e"
ENQUIRIES = "/admin/enquiries/enquiry/"
# (label, who, address)
ADMIN_PAGES = [
    ("admin enquiries, partner's handler", "handler", ENQUIRIES),
    ("admin enquiries, handler, by status", "handler", f"{ENQUIRIES}?status__exact=new"),
    ("admin enquiries, Mutuals Team", "team", ENQUIRIES),
    ("admin enquiries, Mutuals Team, by status", "team", f"{ENQUIRIES}?status__exact=new"),
    ("admin dashboard, Mutuals Team", "team", "/admin/"),
]


def username(who):
    """The account MAKE_ACCOUNTS makes for `who` ("handler" or "team")."""
    return f"bench-{who}"


# Run in the servers' settings: two staff accounts, the handler with the partner that has the
# most enquiries. Prints their usernames as JSON.
MAKE_ACCOUNTS = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count
from enquiries.models import Partner, PartnerMembership
partner = Partner.objects.annotate(n=Count("enquiries")).order_by("-n").first()
accounts = {{}}
for who, group in (("handler", "Enquiry handlers"), ("team", "Mutuals Team handlers")):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-{{who}}", is_staff=True)
    user.set_password({PASSWORD!r})
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    accounts[who] = user.username
PartnerMembership.objects.get_or_create(user_id=get_user_model().objects.get(username="bench-handler").pk, partner=partner)
print(json.dumps(accounts))
"""  # noqa: E501 - code run as it is


def sign_in(base, username):
    """Sign in through the admin's own form; the Cookie header that carries the session."""
    client = Client(base)
    _, body = client.request("GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    answers = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    response, _ = client.request("POST", "/admin/login/", body=urlencode(answers))
    assert response.status == 302, f"signing in as {username} answered {response.status}"
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def admin_cookies(base, manage, env):
    """Each account's Cookie header, the accounts made first."""
    printed = manage(env, "shell", "-c", MAKE_ACCOUNTS)
    accounts = json.loads(printed.strip().splitlines()[-1])
    return {who: sign_in(base, username) for who, username in accounts.items()}
