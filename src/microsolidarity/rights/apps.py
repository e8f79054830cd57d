from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "microsolidarity.rights"
    verbose_name = _("Data rights and backups")

    def ready(self) -> None:
        # Signals connect once the apps are loaded (Django's app registry), so imports wait here.
        from django.contrib.auth.signals import user_logged_in

        from microsolidarity.rights.signals import cancel_deletion_on_sign_in

        user_logged_in.connect(cancel_deletion_on_sign_in, dispatch_uid="rights-cancel-deletion")
