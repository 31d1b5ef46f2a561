"""The resource library: documents tagged by topic and by the guide's stages."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Lower, RowNumber
from django.urls import reverse
from django.utils.dates import MONTHS
from simple_history.models import HistoricalRecords

from portal.core import search
from portal.core.formats import readable_file_size
from portal.core.kept_urls import SlugURL
from portal.core.markdown import MARKDOWN_HELP
from portal.core.publishing import Publishable, PublishableQuerySet

from .search import snippet_text


class Topic(models.Model):
    """A subject the library is organised by, such as TUPE or Pensions."""

    # Its name and description show on public pages: saving one empties the page cache.
    changes_public_pages = True

    name = models.CharField(max_length=80, unique=True, help_text="Use sentence case, e.g. 'Tax'.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The topic's web address and filter value, for example 'tupe'. "
        "Changing it breaks bookmarked searches.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences shown on the topic's page and to search engines.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:topic-detail", kwargs={"slug": self.slug})


class Publisher(models.Model):
    """The body that wrote or issued a resource; one record each so the filter lists it once."""

    # Its name shows on resource pages and in the finder: saving one empties the page cache.
    changes_public_pages = True

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True, help_text="Used as the filter value.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# Every result in the finder links to its resource.
resource_url = SlugURL("guides:resource-detail")

# Newest first, by publication date where known, then by the public "Last updated" date: a
# review is not news, so marking a resource as reviewed never moves it up the list.
NEWEST_FIRST = (F("published_on").desc(nulls_last=True), "-public_updated_at", "title")


class ResourceQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def with_listing_data(self):
        """The publisher and topics a list of resources shows: two queries for the whole list."""
        return self.select_related("publisher").prefetch_related("topics")

    def as_results(self):
        """What the finder's results show and no more: the publisher, in the same query. The
        body, its HTML and the search vector, the largest columns, stay in the database.
        """
        return self.select_related("publisher").defer("body", "rendered", "search_vector")

    # Tags. Each is a subquery, not a join, so a resource is never listed or counted twice.

    def for_topic(self, topic):
        return self.filter(self._tagged("topics", topic=topic))

    def with_any_topic(self, slugs):
        return self.filter(self._tagged("topics", topic__slug__in=slugs))

    def for_any_stage(self, slugs):
        return self.filter(self._tagged("stages", stage__slug__in=slugs))

    def _tagged(self, relation, **lookups):
        through = getattr(self.model, relation).through
        return Exists(through.objects.filter(resource=OuterRef("pk"), **lookups))

    # Search: through the shared interface (portal/core/search.py), which uses PostgreSQL's
    # full-text search where it runs and matches every word elsewhere.

    def search(self, text):
        """Resources found by `text`, each with a `rank` to sort by relevance and, on
        PostgreSQL, a `headline`: the passage that matched, for search_snippet() to show.
        """
        return search.search(
            self,
            text,
            vector="search_vector",
            snippet_text=snippet_text(),
            word_matches=self._word_matches,
        )

    def with_headlines(self, text):
        """The resources, each with the `headline` search() would give it on PostgreSQL: for
        resources a kept ranking found, read by id.
        """
        return search.with_headlines(self, text, snippet_text=snippet_text())

    def found_by(self, text):
        """The resources `text` finds, with no rank or headline: for counting."""
        return search.found_by(self, text, vector="search_vector", word_matches=self._word_matches)

    def full_text_search(self, text):
        """Web-search syntax ("quoted phrases", -excluded, or) over the stored search vector."""
        return search.full_text_search(
            self, text, vector="search_vector", snippet_text=snippet_text()
        )

    def word_search(self, text):
        """Every word must appear; a resource with every word in its title ranks first."""
        return search.word_search(self, text, word_matches=self._word_matches)

    def containing_every_word(self, words):
        """Every word in the title, summary, body, publisher's name or a topic's name."""
        return search.containing_every_word(self, words, self._word_matches)

    @staticmethod
    def _word_matches(word):
        return (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(publisher__name__icontains=word)
            | Exists(Topic.objects.filter(resources=OuterRef("pk"), name__icontains=word))
        )

    # Counting.

    def by_topic_for_stage(self, stage, per_topic):
        """One row per resource and topic (topic NULL when it has none), ordered by topic name,
        at most `per_topic` under each topic; each row says how many its topic has in all.

        Lower() sorts alike on SQLite and PostgreSQL, which order capitals differently.
        """
        in_topic = {"partition_by": [F("topics__id")]}
        return (
            self.filter(stages=stage)
            .annotate(
                topic_id=F("topics__id"),
                topic_name=F("topics__name"),
                topic_slug=F("topics__slug"),
                place=models.Window(RowNumber(), order_by=[Lower("title"), "pk"], **in_topic),
                topic_total=models.Window(Count("pk"), **in_topic),
            )
            .filter(place__lte=per_topic)
            .order_by(Lower("topic_name").asc(nulls_last=True), "topic_id", Lower("title"), "pk")
        )

    def sharing_topics(self, topics, besides=None):
        """Resources with any of `topics`, but `besides`: most in common first, then newest."""
        related = self.filter(topics__in=topics)
        if besides is not None:
            related = related.exclude(pk=besides.pk)
        # Counted over the filtered join, so only the topics in common count.
        related = related.annotate(shared_topics=Count("topics"))
        return related.order_by("-shared_topics", *NEWEST_FIRST)


class Resource(Publishable):
    """A guide, template, policy paper or other document in the library."""

    class Type(models.TextChoices):
        GUIDE = "guide", "Guide"
        TEMPLATE = "template", "Template"
        POLICY_PAPER = "policy-paper", "Policy paper"
        REPORT = "report", "Report"
        LETTER = "letter", "Letter"
        TOOL = "tool", "Tool"
        OTHER = "other", "Other"

    class DatePrecision(models.TextChoices):
        YEAR = "year", "Year only"
        MONTH = "month", "Month and year"
        DAY = "day", "Exact date"

    title = models.CharField(
        max_length=200,
        help_text="The document's own title, in sentence case.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The resource's web address. Changing it breaks links to the resource.",
    )
    summary = models.CharField(
        max_length=400,
        help_text="What the document is and who it helps, in one or two plain sentences. "
        "Shown in search results and to search engines.",
    )
    body = models.TextField(
        blank=True,
        help_text=f"More about the document, if the summary is not enough. {MARKDOWN_HELP}",
    )
    resource_type = models.CharField(
        "Type", max_length=20, choices=Type.choices, default=Type.GUIDE
    )
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Who wrote or issued the document. Leave empty if it is not known.",
    )
    published_on = models.DateField(
        "Publication date",
        null=True,
        blank=True,
        help_text="Leave empty if not known. If only the year is known, enter 1 January of "
        "that year and choose 'Year only' below.",
    )
    published_precision = models.CharField(
        "How much of the date is known",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    stages = models.ManyToManyField(
        "guides.Stage",
        blank=True,
        related_name="resources",
        verbose_name="Guide stages",
        help_text="The stages of the guide where this document helps. It is listed on them.",
    )
    file = models.FileField(
        upload_to="resources/%Y/",
        blank=True,
        max_length=255,
        help_text="PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), CSV or plain text.",
    )
    file_type = models.CharField(
        "File format", max_length=10, blank=True, editable=False, help_text="Set from the file."
    )
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    external_url = models.URLField(
        "Web address",
        max_length=500,
        blank=True,
        help_text="Where the document can be read elsewhere. Leave empty if it is not known.",
    )
    not_legal_advice = models.BooleanField(
        "Show the 'not legal advice' caveat",
        default=False,
        help_text="Tick when the document, or its publisher, says it is not legal advice.",
    )
    link_status = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="The HTTP status the last check got."
    )
    link_error = models.CharField(max_length=200, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept up to date on PostgreSQL (guides/library/search_index.py); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "published_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return resource_url(self.slug)

    def markdown_renderings(self):
        return {"body": ("body", 0, "")}

    def get_download_url(self):
        return reverse("guides:resource-download", kwargs={"slug": self.slug})

    @property
    def file_description(self):
        """The download's format and size, as a link to it should say: 'PDF, 1.2 MB'."""
        if not self.file:
            return ""
        parts = [self.file_type or "File"]
        if self.file_size is not None:
            parts.append(readable_file_size(self.file_size))
        return ", ".join(parts)

    @property
    def publication_date_display(self):
        """The publication date to the precision known: '2012', 'June 2012', '26 July 2012'."""
        date = self.published_on
        if date is None:
            return ""
        if self.published_precision == self.DatePrecision.YEAR:
            return str(date.year)
        if self.published_precision == self.DatePrecision.MONTH:
            return f"{MONTHS[date.month]} {date.year}"
        return f"{date.day} {MONTHS[date.month]} {date.year}"

    @property
    def link_is_broken(self):
        return bool(self.link_error) or (self.link_status is not None and self.link_status >= 400)
