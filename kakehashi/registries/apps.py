from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "kakehashi.registries"
    label = "registries"
