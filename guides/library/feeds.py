"""An Atom feed of the newest resources, filtered as the finder is: /resources/feed/?topic=tupe."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed

from portal.core.time_limit import within_time_limit

from .filters import ResourceFilterSet

FEED_LENGTH = 20
TOO_SLOW = "This feed took too long to make. Try again later, or with fewer filters.\n"


class PlainTextAtomFeed(Atom1Feed):
    """Atom with each entry's summary marked as text.

    Django's Atom1Feed marks summaries type="html", so a feed reader would run any markup typed
    into a resource's summary as HTML. Summaries are plain text; as type="text" the XML
    escaping is all they need. Titles are already text: Atom's default when no type is given.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ResourceFeed(Feed):
    """Its queries, shaped by the query string as the finder's are, run under the search time
    limit; past it a feed reader is told to come back later.
    """

    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        return within_time_limit(
            request,
            lambda: super(ResourceFeed, self).__call__(request, *args, **kwargs),
            lambda: HttpResponse(TOO_SLOW, content_type="text/plain; charset=utf-8"),
        )

    def get_object(self, request, *args, **kwargs):
        return ResourceFilterSet(request.GET)

    def title(self, filterset):
        filtered_by = filterset.description()
        title = f"Resource library – {settings.SERVICE_NAME}"
        return f"{title}: resources {filtered_by}" if filtered_by else title

    def subtitle(self, filterset):
        return "The newest guidance, templates and publications about public service mutuals."

    def link(self, filterset):
        return filterset.link(filterset.state(sort=False))

    def items(self, filterset):
        return filterset.matching().newest_first().with_listing_data()[:FEED_LENGTH]

    def item_title(self, resource):
        return resource.title

    def item_description(self, resource):
        return resource.summary

    def item_author_name(self, resource):
        return resource.publisher.name if resource.publisher else None

    def item_categories(self, resource):
        return [topic.name for topic in resource.topics.all()]

    def item_pubdate(self, resource):
        if resource.published_on is None:
            return None
        return datetime.datetime.combine(resource.published_on, datetime.time(), datetime.UTC)

    def item_updateddate(self, resource):
        return resource.modified
