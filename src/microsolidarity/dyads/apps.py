from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DyadsConfig(AppConfig):
    name = "microsolidarity.dyads"
    verbose_name = _("Dyads")
