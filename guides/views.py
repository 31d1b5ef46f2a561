"""The guide's pages: the overview, each stage, the printable guide and the progress checklist."""

from itertools import groupby
from operator import attrgetter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from portal.csrf import same_site_post
from portal.models import Page
from portal.views import BreadcrumbsMixin

from .forms import TaskProgressForm
from .models import Resource, Stage
from .progress import GuideProgress

GUIDE_TITLE = "How to set up a mutual"


def guide_intro():
    """The guide's introduction, kept as a site page so editors change it like any other."""
    return Page.objects.published().filter(slug=Page.GUIDE_INTRO_SLUG).first()


def guide_context(stages, session):
    """What every guide page shows: the stages with their tasks, and the visitor's progress."""
    progress = GuideProgress(session)
    done_ids = progress.done_ids
    tasks = [task for stage in stages for task in stage.public_tasks]
    done, total = progress.summary(tasks)
    return {
        "stages": stages,
        "done_ids": done_ids,
        "tasks_done": done,
        "tasks_total": total,
        "guide_title": GUIDE_TITLE,
    }


def pagination_link(title, stage):
    if stage is None:
        return None
    return {
        "href": stage.get_absolute_url(),
        "title": title,
        "label": f"Stage {stage.number}: {stage.title}",
    }


# A stage page lists this many resources under each topic and links to the finder for the rest,
# so the page stays short however big the library grows.
STAGE_RESOURCES_PER_TOPIC = 6


def stage_resources(stage):
    """The stage's published resources grouped by topic, in one query however many there are.

    A resource with several topics is listed under each, as a reader scans for one topic and
    should find everything under it. Resources with no topic come last, under "Other".
    """
    rows = Resource.objects.published().by_topic_for_stage(stage, STAGE_RESOURCES_PER_TOPIC)
    groups = []
    for (_id, name, slug), group in groupby(
        rows, key=attrgetter("topic_id", "topic_name", "topic_slug")
    ):
        resources = list(group)
        groups.append(
            {
                "name": name or "Other",
                "topic_slug": slug,
                "resources": resources,
                "total": resources[0].topic_total,
            }
        )
    return groups


def stage_context(stage, stages, session):
    """The stage page's context; the admin preview shares it."""
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    previous_stage = stages[index - 1] if index > 0 else None
    next_stage = stages[index + 1] if index + 1 < len(stages) else None
    context = guide_context(stages, session)
    stage_done, stage_total = GuideProgress(session).summary(stage.public_tasks)
    return {
        **context,
        "stage": stage,
        "stage_tasks_done": stage_done,
        "stage_tasks_total": stage_total,
        "stage_resources": stage_resources(stage),
        "pagination": {
            "previous": pagination_link("Previous stage", previous_stage),
            "next": pagination_link("Next stage", next_stage),
        },
    }


class GuideMixin(BreadcrumbsMixin):
    """Loads the published stages and their tasks once per request: two queries however many."""

    @cached_property
    def stages(self):
        return list(Stage.objects.published().in_order().with_listing_data())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **guide_context(self.stages, self.request.session), **kwargs
        )


class GuideOverviewView(GuideMixin, TemplateView):
    template_name = "guides/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=guide_intro(), **kwargs)


class GuidePrintView(GuideMixin, TemplateView):
    """The whole guide on one page, for printing or saving as a PDF."""

    template_name = "guides/guide_print.html"

    def get_context_data(self, **kwargs):
        site_url = self.request.build_absolute_uri("/").rstrip("/")
        return super().get_context_data(intro=guide_intro(), site_url=site_url, **kwargs)

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": GUIDE_TITLE, "href": reverse("guides:overview")})
        return crumbs


class StageDetailView(GuideMixin, DetailView):
    template_name = "guides/stage_detail.html"
    context_object_name = "stage"

    def get_object(self, queryset=None):
        for stage in self.stages:
            if stage.slug == self.kwargs["slug"]:
                return stage
        raise Http404("No published stage has that address")

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": GUIDE_TITLE, "href": reverse("guides:overview")})
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(stage_context(self.object, self.stages, self.request.session))
        return context


# No CSRF token in the form, so stage pages can be cached for everyone (portal/csrf.py).
@same_site_post
@require_POST
def update_progress(request):
    """Mark a task as done or not done, then go back to the task."""
    form = TaskProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_message())
        return redirect("guides:overview")
    task = form.save(request.session)
    return redirect(task.get_absolute_url())


@require_POST
def reset_progress(request):
    GuideProgress(request.session).reset()
    messages.success(request, "Your progress has been reset. No tasks are marked as done.")
    return redirect("guides:overview")
