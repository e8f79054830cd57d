from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "microsolidarity.people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Abuse-limit counters shared by every web process (and the deploy check about it).
        from django.db.models.signals import post_migrate

        from microsolidarity import limit_counters, page_cache

        limit_counters.count_allauth_limits_in_the_shared_cache()
        post_migrate.connect(limit_counters.create_limits_table, sender=self)
        # Every write bumps its table's version for the page cache, from any process.
        page_cache.track_writes()
