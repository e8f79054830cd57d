from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrewingConfig(AppConfig):
    name = "microsolidarity.crewing"
    verbose_name = _("Crewing")
