from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kakehashi.imports"
    verbose_name = "Bulk import"
