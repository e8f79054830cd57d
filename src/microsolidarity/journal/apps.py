from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "microsolidarity.journal"
    verbose_name = _("Parts journal")

    def ready(self):
        from microsolidarity.journal.models import JOURNAL_TABLES
        from microsolidarity.page_cache import rows_versioned

        # Each person's journal is versioned apart: a kept journal page lasts while others
        # write in theirs (decision 0013-c).
        rows_versioned(*JOURNAL_TABLES)
