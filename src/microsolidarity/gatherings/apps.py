from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "microsolidarity.gatherings"
    verbose_name = _("Gatherings")

    def ready(self):
        from microsolidarity.gatherings.models import PollAnswer, Rsvp
        from microsolidarity.page_cache import rows_versioned

        # A person's own RSVPs and poll answers are kept apart from everyone else's: the
        # home page's parts stay kept while other people answer (decision 0013-c).
        rows_versioned(Rsvp, PollAnswer)
