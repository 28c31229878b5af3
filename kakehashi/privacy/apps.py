from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kakehashi.privacy"
    label = "privacy"
