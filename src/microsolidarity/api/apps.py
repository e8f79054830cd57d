from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "microsolidarity.api"
    verbose_name = "API"
