from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "microsolidarity.home"
    verbose_name = "Home"
