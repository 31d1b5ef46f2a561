"""The answers the contact form offers, shared by the enquiry model, the form and routing."""

from django.db import models


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "local-authority", "Local authority"
    NHS = "nhs", "NHS body"
    CENTRAL_GOVERNMENT = "central-government", "Central government"
    OTHER_PUBLIC = "other-public", "Other public body"
    MUTUAL = "mutual", "Existing mutual or social enterprise"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    # No role may reveal that someone belongs to a trade union, which is special category
    # data. "Trade union representative" became "Staff representative", which union and
    # elected staff representatives alike can choose; migration 0006 moved stored answers.
    FRONT_LINE = "front-line", "Front-line worker"
    MANAGER = "manager", "Manager"
    COMMISSIONER = "commissioner", "Commissioner"
    ELECTED_MEMBER = "elected-member", "Elected member"
    STAFF_REPRESENTATIVE = "staff-representative", "Staff representative"
    OTHER = "other", "Other"


class ServiceArea(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult-social-care", "Adult social care"
    CHILDREN = "children", "Children's services and social work"
    HEALTH = "health", "Community health"
    CULTURE = "culture", "Culture, leisure and libraries"
    EDUCATION = "education", "Education and skills"
    FIRE = "fire", "Fire and rescue"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation and justice"
    YOUTH = "youth", "Youth services"
    BACK_OFFICE = "back-office", "Back-office services"
    OTHER = "other", "Other"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
