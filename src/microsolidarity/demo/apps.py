from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "microsolidarity.demo"
    verbose_name = "Demo network"
