"""Enquiries, the partners that answer them and the rules that decide which partner that is."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.core.reviewing import Reviewable, ReviewableQuerySet

from . import access, routing
from .choices import ContactMethod, OrganisationType, Role, ServiceArea
from .validators import validate_email_lines
from .working_days import add_working_days


class PartnerQuerySet(ReviewableQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_service(self):
        return self.active()

    def fallback(self):
        """The Mutuals Team, which answers whatever no rule sends elsewhere."""
        return self.filter(is_fallback=True).first()

    def for_stage(self, stage):
        return self.active().filter(stages=stage).order_by("-is_fallback", "name")


class Partner(Reviewable):
    """An organisation that answers enquiries: the Mutuals Team or a specialist partner.

    Its public text is reviewed like content (portal/core/reviewing.py).
    """

    # The support page and stage pages list partners: saving one empties the page cache.
    changes_public_pages = True

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        help_text="Who they are, in plain English. Shown to the public on the support page. "
        "Say when a fact dates from, for example 'In 2012, ...'."
    )
    helps_with = models.CharField(
        "What they help with",
        max_length=300,
        help_text="One sentence shown to the public, for example 'Setting up a co-operative'.",
    )
    website = models.URLField(blank=True, help_text="Leave empty unless you have checked it.")
    stages = models.ManyToManyField(
        "guides.Stage",
        blank=True,
        related_name="partners",
        help_text="The guide stages whose 'Who can help' section lists this partner.",
    )
    topics = models.ManyToManyField("guides.Topic", blank=True, related_name="partners")
    notification_emails = models.TextField(
        "Notification email addresses",
        validators=[validate_email_lines],
        help_text="One address a line. New enquiries for this partner are sent here. "
        "Never shown to the public.",
    )
    is_active = models.BooleanField(
        "Active", default=True, help_text="Inactive partners are hidden and get no enquiries."
    )
    is_fallback = models.BooleanField(
        "Answers everything else",
        default=False,
        help_text="Tick for the Mutuals Team only: it gets every enquiry no rule matches. "
        "Only a superuser can change this. It decides where enquiries go, not who sees them.",
    )
    history = HistoricalRecords()

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_fallback"],
                condition=models.Q(is_fallback=True),
                name="one_fallback_partner",
                violation_error_message="Only one partner can answer everything else.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def email_list(self):
        return [line.strip() for line in self.notification_emails.splitlines() if line.strip()]


class RoutingRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_order(self):
        return self.order_by("priority", "pk")

    def for_routing(self):
        return (
            self.active()
            .in_order()
            .select_related("destination")
            .prefetch_related("topics", "stages")
        )

    def evaluate(self, answers):
        """Every active rule in order, each with its conditions ticked or crossed."""
        return routing.evaluate(self.for_routing(), answers)

    def first_match(self, answers):
        return routing.first_match(self.for_routing(), answers)

    def route(self, answers):
        """The first matching rule's partner, or the Mutuals Team."""
        return routing.decide(self.first_match(answers), Partner.objects.fallback())


class RoutingRule(models.Model):
    """Sends enquiries that match all its filled-in conditions to one partner.

    Rules are tried in priority order; the first whose conditions all match decides.
    """

    name = models.CharField(max_length=150, help_text="Say what the rule is for.")
    priority = models.PositiveIntegerField(
        default=100, help_text="Rules with a lower number are tried first."
    )
    is_active = models.BooleanField("Active", default=True)
    topics = models.ManyToManyField(
        "guides.Topic",
        blank=True,
        related_name="routing_rules",
        help_text="Matches if the enquirer ticked any of these topics. Leave empty to ignore.",
    )
    stages = models.ManyToManyField(
        "guides.Stage",
        blank=True,
        related_name="routing_rules",
        help_text="Matches if the enquirer is at any of these stages. Leave empty to ignore.",
    )
    roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Matches if the enquirer has any of these roles. Leave empty to ignore.",
    )
    organisation_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Matches if the enquirer works for any of these. Leave empty to ignore.",
    )
    keywords = models.CharField(
        max_length=300,
        blank=True,
        help_text="Matches if the message contains any of these words, separated by commas, "
        "for example 'co-operative, co-op'. Leave empty to ignore.",
    )
    destination = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="routing_rules")
    copy_mutuals_team = models.BooleanField(
        "Copy the Mutuals Team", default=False, help_text="Also send the Mutuals Team a copy."
    )
    history = HistoricalRecords()

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "pk"]

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last reference number given out in a year; one row a year, locked while in use."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, year):
        """The next reference, e.g. MIS-2026-00042. Call inside the transaction that saves it."""
        if not cls.objects.filter(year=year).exists():
            try:
                with transaction.atomic():
                    cls.objects.create(year=year)
            except IntegrityError:
                pass  # another request created this year's row first
        counter = cls.objects.select_for_update().get(year=year)
        counter.last = F("last") + 1
        counter.save(update_fields=["last"])
        counter.refresh_from_db(fields=["last"])
        return f"MIS-{year}-{counter.last:05d}"


def new_token():
    return secrets.token_urlsafe(16)


class EnquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a member of staff may see; the rule is in enquiries/access.py."""
        return access.visible_enquiries(self, user)

    def open(self):
        return self.exclude(status=Enquiry.Status.CLOSED)

    def overdue(self, today=None):
        return self.filter(overdue_condition(today))

    def with_overdue(self, today=None):
        """Mark each enquiry `overdue`, with `overdue_due_on` set only then, to sort by."""
        condition = overdue_condition(today)
        return self.annotate(
            overdue=models.Case(
                models.When(condition, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            overdue_due_on=models.Case(
                models.When(condition, then=F("due_on")),
                default=None,
                output_field=models.DateField(),
            ),
        )

    def counts(self, today=None):
        """How many by status and partner, with how many overdue: one grouped query over an
        index (enquiry_counts), for the list's count panels and its filtered totals."""
        rows = (
            self.order_by()
            .values_list("status", "destination_id", "destination__name")
            .annotate(total=Count("*"), overdue=Count("pk", filter=overdue_condition(today)))
        )
        return EnquiryCounts(tuple(rows))

    def for_export(self):
        return self.select_related("destination", "stage").prefetch_related("topics")

    def due_for_purge(self, cutoff):
        """Closed before the cutoff and still holding personal data."""
        return self.filter(
            status=Enquiry.Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
        )


@dataclass(frozen=True)
class EnquiryCounts:
    """Enquiries counted by status and partner: (status, partner id, partner name, all,
    overdue) rows, one for each pair that has any."""

    rows: tuple

    def by_status(self):
        """{status: (all, overdue)}."""
        found = {}
        for status, _partner_id, _name, total, overdue in self.rows:
            all_, late = found.get(status, (0, 0))
            found[status] = (all_ + total, late + overdue)
        return found

    def by_destination(self):
        """[(partner id, partner name, all)], by name, as the database sorts them: no partner
        (a null name) last."""
        found = {}
        for _status, partner_id, name, total, _overdue in self.rows:
            _, _, so_far = found.get(partner_id, (partner_id, name, 0))
            found[partner_id] = (partner_id, name, so_far + total)
        return sorted(found.values(), key=lambda row: (row[1] is None, row[1]))

    def total(self, **wanted):
        """How many have the `status` and `destination_id` given; either may be left out."""
        return sum(
            total
            for status, partner_id, _name, total, _overdue in self.rows
            if wanted.get("status", status) == status
            and wanted.get("destination_id", partner_id) == partner_id
        )


def overdue_condition(today=None):
    """Open and waiting for the team's reply, with its reply date before today."""
    today = today or timezone.localdate()
    return ~Q(status=Enquiry.Status.CLOSED) & Q(due_on__lt=today, reply_due_met_at__isnull=True)


# An open enquiry whose reply date falls within this many working days is due soon.
DUE_SOON_WORKING_DAYS = 2


def due_soon_condition(today=None):
    """Open and waiting for the team's reply, due today or in the next DUE_SOON_WORKING_DAYS
    working days: not overdue yet."""
    today = today or timezone.localdate()
    last = add_working_days(today, DUE_SOON_WORKING_DAYS)
    return ~Q(status=Enquiry.Status.CLOSED) & Q(
        due_on__gte=today, due_on__lte=last, reply_due_met_at__isnull=True
    )


class Enquiry(models.Model):
    """A question sent through the contact form, with where it was routed."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in-progress", "In progress"
        WAITING = "waiting", "Waiting for the enquirer"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Answered"
        REFERRED = "referred", "Referred elsewhere"
        NOT_PURSUED = "not-pursued", "Not pursued"
        SPAM = "spam", "Spam"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    # The one-time token of the check-answers page that sent it: a second send is refused
    # by the database even when two arrive at once.
    submission_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="How it ended. Choose one when you close the enquiry, and only then.",
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(
        "Personal data removed", null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    due_on = models.DateField("Reply due by", editable=False)
    # Set by a reply to the enquirer; emptied, with a new reply-by date, when they write again.
    reply_due_met_at = models.DateTimeField("Replied to", null=True, blank=True, editable=False)
    first_replied_at = models.DateTimeField("First replied", null=True, blank=True, editable=False)
    # One answer to "how did you feel about the help" per enquiry; the answer itself is kept
    # apart (SatisfactionAnswer), with nothing that leads back here.
    # The purge empties it (None), with the reply times, as the link that asks is dead by then.
    verdict_given = models.BooleanField(null=True, default=False, editable=False)

    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    contact_method = models.CharField(
        "Preferred contact", max_length=10, choices=ContactMethod.choices
    )
    organisation = models.CharField(max_length=200)
    organisation_type = models.CharField(max_length=30, choices=OrganisationType.choices)
    role = models.CharField(max_length=30, choices=Role.choices)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    stage = models.ForeignKey(
        "guides.Stage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        help_text="Empty if they have not started yet.",
    )
    topics = models.ManyToManyField("guides.Topic", blank=True, related_name="enquiries")
    message = models.TextField()

    rule = models.ForeignKey(
        RoutingRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        editable=False,
    )
    rule_name = models.CharField("Routing decision", max_length=200, blank=True, editable=False)
    destination = models.ForeignKey(
        Partner,
        null=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
        editable=False,
        # enquiry_counts, whose first column this is, serves every look-up by partner.
        db_index=False,
    )
    copied_to = models.ManyToManyField(Partner, blank=True, related_name="copied_enquiries")
    history = HistoricalRecords(excluded_fields=["message", "verdict_given"])

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "enquiries"
        indexes = [
            # The enquiry list's count panels and the dashboard's counts read this alone (an
            # index-only scan on PostgreSQL), for everyone's enquiries or one partner's.
            models.Index(
                fields=["destination", "status", "due_on", "reply_due_met_at", "id"],
                name="enquiry_counts",
            ),
            # A column's order, sorted without reading the rows (IdsFirstChangeList in admin.py).
            models.Index(
                fields=[
                    "destination",
                    "status",
                    "due_on",
                    "reply_due_met_at",
                    "submitted_at",
                    "id",
                ],
                name="enquiry_list_order",
            ),
            # The list's own order, in two parts each read in order and stopped at the page's
            # end (IdsFirstChangeList): those waiting for a reply, the longest overdue first;
            # then the rest, newest first. The columns after the sort keys are what the parts
            # are filtered by, partner included, so neither reads the rows to filter them.
            models.Index(
                fields=["due_on", "-submitted_at", "-id", "destination"],
                condition=~Q(status="closed") & Q(reply_due_met_at__isnull=True),
                name="enquiry_overdue",
            ),
            # Also the submitted-date filter and the replies summary's period.
            models.Index(
                fields=[
                    "-submitted_at",
                    "-id",
                    "destination",
                    "status",
                    "due_on",
                    "reply_due_met_at",
                    "first_replied_at",
                ],
                name="enquiry_newest",
            ),
        ]
        permissions = [("view_every_enquiry", "Can see every enquiry, whichever partner has it")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        # The retention clock starts when an enquiry is closed, and stops if it is reopened.
        if self.status == self.Status.CLOSED:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at"}
        super().save(*args, **kwargs)

    def get_admin_url(self):
        return reverse("admin:enquiries_enquiry_change", args=[self.pk])

    @property
    def is_open(self):
        return self.status != self.Status.CLOSED

    @property
    def is_overdue(self):
        return self.is_open and self.reply_due_met_at is None and self.due_on < timezone.localdate()

    @property
    def first_name(self):
        """The enquirer's first name, for a greeting; empty once their details are removed."""
        return self.name.split()[0] if self.name.split() else ""

    def clean(self):
        if self.status == self.Status.CLOSED and not self.outcome:
            raise ValidationError({"outcome": "Choose an outcome to close the enquiry"})
        if self.status != self.Status.CLOSED and self.outcome:
            raise ValidationError(
                {"outcome": "Leave the outcome empty unless you close the enquiry"}
            )


class EnquiryNote(models.Model):
    """An internal note on an enquiry: who wrote it and when. Never shown to the enquirer."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiry_notes",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Written by the service itself (the daily retention job), so no author is not someone gone.
    by_the_service = models.BooleanField(default=False, editable=False)
    text = models.TextField(
        "Note",
        help_text="What has been done or agreed. Only staff see notes. "
        "Keep personal details to what the work needs.",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        written = timezone.localtime(self.created_at).strftime("%-d %B %Y at %H:%M")
        if self.by_the_service:
            return f"Note by the service, {written}"
        return f"Note by {self.author or 'someone no longer on the staff'}, {written}"


class PartnerMembership(models.Model):
    """Links a member of staff to the partner whose enquiries they handle."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["partner__name", "user__username"]
        verbose_name = "handler's partner"
        verbose_name_plural = "handlers' partners"

    def __str__(self):
        return f"{self.user} handles enquiries for {self.partner}"


def stuck_before(now=None):
    """A try that should have started, or finished, before this has stalled: no worker has it."""
    now = now or timezone.now()
    return now - timedelta(minutes=settings.ENQUIRY_EMAIL_STUCK_MINUTES)


def stuck_condition(now=None):
    """Not sent, and neither tried nor being tried when it should have been.

    A delivery waits for its next try at `next_attempt_at`, and a try in progress sets it to
    when it started. Past that by ENQUIRY_EMAIL_STUCK_MINUTES, the task that should send it
    is lost: a worker killed mid-send, or a queue emptied by hand.
    """
    finished = [EmailDelivery.Status.SENT, EmailDelivery.Status.FAILED]
    return ~Q(status__in=finished) & Q(next_attempt_at__lt=stuck_before(now))


def waiting_condition(now=None):
    """Not sent, and not stuck yet: it will be stuck ENQUIRY_EMAIL_STUCK_MINUTES after its
    `next_attempt_at` if nothing happens to it."""
    finished = [EmailDelivery.Status.SENT, EmailDelivery.Status.FAILED]
    return ~Q(status__in=finished) & Q(next_attempt_at__gte=stuck_before(now))


def becomes_stuck_at(next_attempt_at):
    if next_attempt_at is None:
        return None
    return next_attempt_at + timedelta(minutes=settings.ENQUIRY_EMAIL_STUCK_MINUTES)


class EmailDeliveryQuerySet(models.QuerySet):
    def stuck(self, now=None):
        return self.filter(stuck_condition(now))

    def problem_counts(self, now=None):
        """How many gave up and how many are stuck, in one query, with when the next one that
        is waiting will be stuck if nothing happens to it (`next_stuck_at`, or None)."""
        now = now or timezone.now()
        counts = self.aggregate(
            failed=Count("pk", filter=Q(status=EmailDelivery.Status.FAILED)),
            stuck=Count("pk", filter=stuck_condition(now)),
            next_waiting=Min("next_attempt_at", filter=waiting_condition(now)),
        )
        counts["next_stuck_at"] = becomes_stuck_at(counts.pop("next_waiting"))
        return counts

    def next_stuck_at(self, now=None):
        """When the next delivery now waiting will be stuck if nothing happens to it, or None."""
        now = now or timezone.now()
        waiting = self.aggregate(first=Min("next_attempt_at", filter=waiting_condition(now)))
        return becomes_stuck_at(waiting["first"])


class EmailDelivery(models.Model):
    """One email about an enquiry, with every attempt to send it."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation to the enquirer"
        NOTIFICATION = "notification", "Notification to a partner"
        REASSIGNED = "reassigned", "Reassignment to a partner"
        REPLY = "reply", "Reply to the enquirer"
        ENQUIRER_REPLIED = "enquirer_replied", "Enquirer's answer, to a partner"
        VERDICT = "verdict", "Question about the help, to the enquirer"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed, will try again"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL)
    recipients = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the next try is due, or when the try in progress started; empty once it is done.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "email deliveries"

    def __str__(self):
        return f"{self.get_kind_display()} for {self.enquiry}"

    def clean(self):
        if not self.recipients:
            raise ValidationError("An email needs at least one recipient.")

    @property
    def is_stuck(self):
        return (
            self.status not in (self.Status.SENT, self.Status.FAILED)
            and self.next_attempt_at is not None
            and self.next_attempt_at < stuck_before()
        )

    @property
    def progress(self):
        """The status, saying so when a delivery has stalled."""
        if self.is_stuck:
            return f"{self.get_status_display()} (stuck: it will be queued again)"
        return self.get_status_display()


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The messages of the enquiries a member of staff may see (enquiries/access.py)."""
        return access.visible_messages(self, user)

    def in_order(self):
        return self.order_by("created_at", "pk")


class Message(models.Model):
    """One message of an enquiry's conversation: a reply to the enquirer, or their answer.

    Unlike notes, the enquirer sees these, through the private link in their email.
    """

    class Direction(models.TextChoices):
        TO_ENQUIRER = "to-enquirer", "To the enquirer"
        FROM_ENQUIRER = "from-enquirer", "From the enquirer"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiry_messages",
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # The email that carried a reply to the enquirer, with its tries; none for their answers.
    delivery = models.OneToOneField(
        EmailDelivery,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="message",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_direction_display()} on {self.enquiry}"

    @property
    def from_enquirer(self):
        return self.direction == self.Direction.FROM_ENQUIRER

    @property
    def signature(self):
        """Who wrote a reply, as the enquirer sees it: a first name at most, and the partner."""
        first_name = self.author.first_name.strip() if self.author else ""
        partner = self.partner.name if self.partner else settings.SERVICE_OWNER_NAME
        return f"{first_name}, {partner}" if first_name else partner


class SavedReply(models.Model):
    """A reply the Mutuals Team keeps for handlers to start from and edit before sending."""

    title = models.CharField(max_length=150, unique=True)
    body = models.TextField(
        help_text="Plain text. {first-name} becomes the enquirer's first name and {reference} "
        "the enquiry's reference. Handlers read it through before sending."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "saved replies"

    def __str__(self):
        return self.title

    def filled_in(self, enquiry):
        return self.body.replace("{first-name}", enquiry.first_name or "").replace(
            "{reference}", enquiry.reference
        )


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, "Very satisfied"
    SATISFIED = 4, "Satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    DISSATISFIED = 2, "Dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class SatisfactionAnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_satisfaction(self, user)


class SatisfactionAnswer(models.Model):
    """An enquirer's verdict on the help: the partner, the month and the score, no more.

    Nothing links it to the enquiry or the person, so it outlives the enquiry's purge.
    """

    partner = models.ForeignKey(
        Partner, null=True, on_delete=models.SET_NULL, related_name="satisfaction_answers"
    )
    month = models.DateField(help_text="The first day of the month it was given.")
    score = models.PositiveSmallIntegerField(choices=Satisfaction)
    comment = models.TextField(blank=True)

    objects = SatisfactionAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "partner__name"]

    def __str__(self):
        return f"{self.get_score_display()} ({self.partner}, {self.month:%B %Y})"
