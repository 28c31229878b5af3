from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kakehashi.portal"
    label = "portal"
