"""The guide's scheduled job: checking resources' web addresses (see portal/schedule.py)."""

import logging

from django.tasks import task

from . import links

logger = logging.getLogger(__name__)


@task()
def check_resource_links():
    """Check every published resource's web address and record the answer, as the command does."""
    results = links.check_resource_links()
    broken = sum(result.is_broken for result in results)
    logger.info("Checked %s resource link(s): %s broken", len(results), broken)
    return {"checked": len(results), "broken": broken}
