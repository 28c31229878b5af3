from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kakehashi.home"
    label = "home"
