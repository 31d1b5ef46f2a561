"""The app's scheduled job: checking resources' web addresses (see portal/schedule.py).

It stays in the app's tasks module, where the scheduler and queued tasks find it by name.
"""

import logging

from django.tasks import task

from .library import links

logger = logging.getLogger(__name__)


@task()
def check_resource_links():
    """Check every published resource's web address and record the answer, as the command does."""
    results = links.check_resource_links()
    broken = sum(result.is_broken for result in results)
    logger.info("Checked %s resource link(s): %s broken", len(results), broken)
    return {"checked": len(results), "broken": broken}
