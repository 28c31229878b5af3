from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kakehashi.core"
    label = "core"
