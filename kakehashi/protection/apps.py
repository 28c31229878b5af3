from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "kakehashi.protection"
    label = "protection"
