"""The "Latest changes" page and its Atom feed: major changes across the site, newest first.

Only notes on items the public can see are listed (ChangeNoteQuerySet.public()), so a note on a
draft, or on an item taken down, never shows.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.views.generic import TemplateView

from guides.library.feeds import PlainTextAtomFeed

from .core.change_notes import ChangeNote
from .core.querystring import paginate, pagination_links
from .views import BreadcrumbsMixin

CHANGES_PER_PAGE = 20
FEED_LENGTH = 20


def latest_changes():
    """Public change notes, newest first, each with its item: a few queries however many."""
    return ChangeNote.objects.public().with_items()


class LatestChangesView(BreadcrumbsMixin, TemplateView):
    """Every public change note, newest first, 20 to a page."""

    template_name = "portal/latest_changes.html"

    def get_context_data(self, **kwargs):
        page, notice = paginate(latest_changes(), self.request.GET.get("page"), CHANGES_PER_PAGE)
        return super().get_context_data(
            page=page,
            notices=[notice] if notice else [],
            pagination=pagination_links(page, reverse("portal:latest-changes"), []),
            **kwargs,
        )


class LatestChangesFeed(Feed):
    """The newest major changes as Atom, for feed readers and email alert services."""

    feed_type = PlainTextAtomFeed

    def get_object(self, request, *args, **kwargs):
        self.page_url = request.build_absolute_uri(reverse("portal:latest-changes"))
        return None

    def title(self):
        return f"Latest changes – {settings.SERVICE_NAME}"

    def subtitle(self):
        return "Major changes to the guidance, resources and case studies on this site."

    def link(self):
        return reverse("portal:latest-changes")

    def items(self):
        return latest_changes()[:FEED_LENGTH]

    def item_title(self, note):
        return str(note.item)

    def item_description(self, note):
        return note.note

    def item_link(self, note):
        return note.item.get_absolute_url()

    def item_guid(self, note):
        # Several notes share an item's address, and each entry needs an id of its own.
        return f"{self.page_url}#change-{note.pk}"

    def item_categories(self, note):
        return [note.kind]

    def item_pubdate(self, note):
        return note.published_at

    def item_updateddate(self, note):
        return note.published_at
