"""The weekly link check, fired as the scheduler fires it, against a website on loopback."""

import pytest

from guides.models import Resource
from tests.scheduling import run_scheduled


@pytest.mark.django_db(transaction=True)
def test_the_weekly_job_checks_every_published_resource_and_records_the_answers(
    site, site_requests, make_resource
):
    working = make_resource(external_url=site + "/ok")
    missing = make_resource(external_url=site + "/missing")

    result = run_scheduled("guides.tasks.check_resource_links")

    assert result.return_value == {"checked": 2, "broken": 1}
    found = dict(Resource.objects.values_list("pk", "link_status"))
    assert found == {working.pk: 200, missing.pk: 404}
    assert sorted(site_requests) == [("HEAD", "/missing"), ("HEAD", "/ok")]
