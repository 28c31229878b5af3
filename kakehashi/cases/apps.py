from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kakehashi.cases"
    label = "cases"
