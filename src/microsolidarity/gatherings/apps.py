from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "microsolidarity.gatherings"
    verbose_name = _("Gatherings")
