"""Public service mutuals and the case studies that tell how they were set up."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guides.models import Stage, Topic
from portal.core.markdown import MARKDOWN_HELP
from portal.core.publishing import Publishable, PublishableQuerySet, Status

NOT_KNOWN = "Not known"


class ServiceArea(models.Model):
    """A kind of public service, such as adult social care; editors manage the list."""

    # Its name shows in filters and charts: saving one empties the page cache.
    changes_public_pages = True

    name = models.CharField(max_length=80, unique=True, help_text="Use sentence case.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used as the filter value in web addresses, for example 'adult-social-care'.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Filters and charts list service areas from the lowest number up."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


def dated_status(label, year):
    """A status with the year it was recorded, 'Developing, in 2010', or the status alone."""
    return f"{label}, in {year}" if label and year else label


class MutualQuerySet(PublishableQuerySet):
    def with_listing_data(self):
        """Service area joined, the slug of one published case study and what happened next.

        One query for the mutuals and one for all their outcomes, however many there are.
        """
        studies = CaseStudy.objects.filter(mutual=OuterRef("pk"), status=Status.PUBLISHED)
        return (
            self.select_related("service_area")
            .annotate(case_study_slug=models.Subquery(studies.order_by("title").values("slug")[:1]))
            .prefetch_related("outcomes")
        )


class Mutual(Publishable):
    """An organisation that has left, or plans to leave, the public sector to run a service."""

    class LegalForm(models.TextChoices):
        COOPERATIVE = "co-operative", "Co-operative"
        EMPLOYEE_OWNED = "employee-owned-company", "Employee-owned company"
        CIC = "community-interest-company", "Community interest company"
        BENCOM = "community-benefit-society", "Community benefit society"
        CLG = "company-limited-by-guarantee", "Company limited by guarantee"
        CHARITY = "charity", "Charity"
        OTHER = "other", "Other"

    class Region(models.TextChoices):
        NORTH_EAST = "north-east", "North East"
        NORTH_WEST = "north-west", "North West"
        YORKSHIRE = "yorkshire-and-the-humber", "Yorkshire and the Humber"
        EAST_MIDLANDS = "east-midlands", "East Midlands"
        WEST_MIDLANDS = "west-midlands", "West Midlands"
        EAST = "east-of-england", "East of England"
        LONDON = "london", "London"
        SOUTH_EAST = "south-east", "South East"
        SOUTH_WEST = "south-west", "South West"

    class Progress(models.TextChoices):
        EXPLORING = "exploring", "Exploring"
        DEVELOPING = "developing", "Developing"
        SPUN_OUT = "spun-out", "Spun out"
        TRADING = "trading", "Trading"

    name = models.CharField(max_length=200, help_text="The organisation's name, or the project's.")
    slug = models.SlugField(max_length=200, unique=True)
    pathfinder = models.BooleanField(
        "First Mutual Pathfinder",
        default=False,
        help_text="Tick only for the first Mutual Pathfinders the Cabinet Office named in 2010.",
    )
    place = models.CharField(
        max_length=120,
        blank=True,
        help_text="The town, city, council area or county it serves, such as 'Hull'. "
        "Leave empty if it is not known.",
    )
    parent_body = models.CharField(
        "Came from",
        max_length=200,
        blank=True,
        help_text="The public body the service came from, such as a council or a primary care "
        "trust. Leave empty if it is not known.",
    )
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mutuals",
        help_text="Leave empty if it is not known.",
    )
    legal_form = models.CharField(
        max_length=40, choices=LegalForm.choices, blank=True, help_text="Empty means not known."
    )
    region = models.CharField(
        "Region of England",
        max_length=40,
        choices=Region.choices,
        blank=True,
        help_text="Empty means not known.",
    )
    progress = models.CharField(
        "Status",
        max_length=20,
        choices=Progress.choices,
        blank=True,
        help_text="How far the mutual had got when the status was recorded. Empty means not known.",
    )
    progress_year = models.PositiveSmallIntegerField(
        "Year of the status",
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The year the status above was true, for example 2010 for a Pathfinder's "
        "status when it was named. Pages show both: 'Developing, in 2010'. Add later events "
        "under 'What happened next' rather than changing an old status.",
    )
    year_spun_out = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The year it left the public sector, only if known. Never guess: an empty "
        "box shows as 'Not known'.",
    )
    staff_count = models.PositiveIntegerField(
        "Staff",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Only if known. Leave empty rather than enter 0.",
    )
    contract_value = models.PositiveBigIntegerField(
        "Contract value (£ a year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The yearly value of its main public contract, in whole pounds, if published.",
    )
    website = models.URLField(blank=True, help_text="Only an address you have checked.")
    status = models.CharField(
        "Publishing status",
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are left out of the directory and its downloads.",
    )
    history = HistoricalRecords()

    objects = MutualQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('casestudies:mutual-list')}#mutual-{self.slug}"

    def clean(self):
        super().clean()
        if self.progress_year and not self.progress:
            raise ValidationError(
                {"progress_year": "Choose the status this year belongs to, or leave it empty."}
            )

    @property
    def status_display(self):
        """The status with the year it was recorded, 'Developing, in 2010'; empty if unknown."""
        return dated_status(self.get_progress_display(), self.progress_year)

    @property
    def year_display(self):
        return str(self.year_spun_out) if self.year_spun_out else NOT_KNOWN

    @property
    def staff_display(self):
        return f"{self.staff_count:,}" if self.staff_count else NOT_KNOWN

    @property
    def contract_value_display(self):
        return f"£{self.contract_value:,}" if self.contract_value else NOT_KNOWN

    def facts(self):
        """Each fact as a summary list row; anything not recorded says 'Not known'."""
        rows = [
            ("Came from", self.parent_body),
            ("Service area", self.service_area.name if self.service_area else ""),
            ("Legal form", self.get_legal_form_display()),
            ("Place", self.place),
            ("Region", self.get_region_display()),
            ("Status", self.status_display),
            ("Year spun out", self.year_display),
            ("Staff", self.staff_display),
            ("Contract value", self.contract_value_display),
        ]
        return [{"key": key, "value": value or NOT_KNOWN} for key, value in rows]


class Outcome(models.Model):
    """Something that happened to a mutual after its status was recorded, with its year."""

    # Outcomes show in the directory and on case studies: saving one empties the page cache.
    changes_public_pages = True

    mutual = models.ForeignKey(Mutual, on_delete=models.CASCADE, related_name="outcomes")
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The year it happened. Leave empty only if nobody knows.",
    )
    description = models.CharField(
        "What happened",
        max_length=200,
        help_text="A short plain sentence, for example 'Contract ended' or "
        "'Services passed back to the NHS'.",
    )
    source = models.CharField(
        "Source",
        max_length=300,
        blank=True,
        help_text="Where this comes from, in a few words, for example 'Council cabinet report, "
        "March 2016'. Leave empty rather than guess.",
    )
    # Set on the outcomes the site ships with, so loading content finds each one again even
    # after an editor changes its words. Empty on outcomes added in the admin.
    content_key = models.SlugField(max_length=100, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("year").asc(nulls_last=True), "pk"]
        verbose_name = "what happened next"
        verbose_name_plural = "what happened next"
        constraints = [
            models.UniqueConstraint(
                fields=["mutual", "content_key"],
                condition=~models.Q(content_key=""),
                name="casestudies_outcome_unique_content_key",
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.description}" if self.year else self.description


class CaseStudyQuerySet(PublishableQuerySet):
    def published(self):
        """Published, about a published mutual."""
        return super().published().filter(mutual__status=Status.PUBLISHED)

    def with_listing_data(self):
        return self.select_related("mutual", "mutual__service_area")

    def for_stage(self, stage):
        through = CaseStudy.stages.through
        return self.filter(Exists(through.objects.filter(casestudy=OuterRef("pk"), stage=stage)))

    def with_stages(self):
        stages = Stage.objects.published().order_by("number")
        return self.prefetch_related(Prefetch("stages", queryset=stages, to_attr="public_stages"))

    def related_to(self, case_study, topic_ids, stage_ids):
        """Other case studies sharing a topic or stage, those sharing most first."""
        shared = Count("topics", filter=models.Q(topics__in=topic_ids), distinct=True) + Count(
            "stages", filter=models.Q(stages__in=stage_ids), distinct=True
        )
        return (
            self.exclude(pk=case_study.pk)
            .annotate(shared=shared)
            .filter(shared__gt=0)
            .order_by("-shared", "title")
        )


class CaseStudy(Publishable):
    """The story of how one mutual was set up, told in the same six sections each time."""

    SECTIONS = (
        ("service_before", "The service before"),
        ("why_a_mutual", "Why a mutual"),
        ("how_they_did_it", "How they did it"),
        ("support", "The support they had"),
        ("results", "Results"),
        ("lessons", "Lessons"),
    )

    title = models.CharField(max_length=200, help_text="Use sentence case.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The case study's web address. Changing it breaks links to it.",
    )
    mutual = models.ForeignKey(
        Mutual,
        on_delete=models.PROTECT,
        related_name="case_studies",
        help_text="The organisation the story is about. It must be published too.",
    )
    summary = models.CharField(
        max_length=400,
        help_text="One or two plain sentences, shown in lists and to search engines.",
    )
    service_before = models.TextField("The service before", blank=True, help_text=MARKDOWN_HELP)
    why_a_mutual = models.TextField("Why a mutual", blank=True, help_text=MARKDOWN_HELP)
    how_they_did_it = models.TextField("How they did it", blank=True, help_text=MARKDOWN_HELP)
    support = models.TextField("The support they had", blank=True, help_text=MARKDOWN_HELP)
    results = models.TextField("Results", blank=True, help_text=MARKDOWN_HELP)
    lessons = models.TextField("Lessons", blank=True, help_text=MARKDOWN_HELP)
    stages = models.ManyToManyField(
        Stage,
        blank=True,
        related_name="case_studies",
        verbose_name="Guide stages",
        help_text="The stages of the guide this story illustrates. It is listed on each.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="case_studies")
    pull_quote = models.TextField(
        blank=True, help_text="Optional. Only words the person has agreed to be quoted on."
    )
    quote_attribution = models.CharField(
        max_length=200, blank=True, help_text="Who said it, for example 'Chief executive'."
    )
    featured = models.BooleanField(
        "Feature on the home page",
        default=False,
        help_text="The home page shows the most recently reviewed featured case study.",
    )
    history = HistoricalRecords()

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:case-study-detail", kwargs={"slug": self.slug})

    def markdown_renderings(self):
        # Each section sits under its own h2, so a '##' in it becomes an h3.
        return {name: (name, 1, name.replace("_", "-")) for name, _label in self.SECTIONS}

    def sections(self):
        """The sections with text, as (id, heading, stored HTML), in the story's order."""
        html = self.html
        return [
            {"id": name.replace("_", "-"), "heading": label, "html": html.get(name, "")}
            for name, label in self.SECTIONS
            if getattr(self, name).strip()
        ]
