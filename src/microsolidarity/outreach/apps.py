"""The outreach app's configuration: it listens to the practice apps' saves for its events."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "microsolidarity.outreach"
    verbose_name = _("Outreach: newsletters, digests, chat and webhooks")

    def ready(self) -> None:
        # Receivers connect once the apps are loaded (Django's app registry), so imports wait here.
        from microsolidarity.outreach.events import connect_receivers

        connect_receivers()
