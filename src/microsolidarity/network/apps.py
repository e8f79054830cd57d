from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "microsolidarity.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        # Gatherings sit below this app and cannot call it: a saved gathering is noticed here
        # and its congregation's followers are brought up to date after the commit.
        from microsolidarity.network import signals  # noqa: F401
