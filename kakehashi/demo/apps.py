from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kakehashi.demo"
    label = "demo"
