"""Reflection prompts for journal entries, after Internal Family Systems' curiosity about parts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Prompt(models.TextChoices):
    NONE = "", _("No prompt: just write")
    WHO_IS_HERE = "who_is_here", _("Which parts of me are here right now, and what do they want?")
    MEET_A_PART = (
        "meet_a_part",
        _("Pick one part. How old does it feel? What is it afraid would happen if it stopped?"),
    )
    THANK_A_PART = "thank_a_part", _("What has a part of me been trying to protect me from?")
    AFTER_DYAD = (
        "after_dyad",
        _("After meeting my partner: when did I lead, when did I follow, and how did it feel?"),
    )
    AFTER_CREW = (
        "after_crew",
        _("After my crew met: which part of me showed up, and which stayed quiet?"),
    )
    BALANCE = "balance", _("Where this week did I take more than my share, or less?")
