from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "kakehashi.procedures"
    label = "procedures"
