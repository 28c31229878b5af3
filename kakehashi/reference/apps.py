from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "kakehashi.reference"
    label = "reference"
