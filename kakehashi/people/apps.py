from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kakehashi.people"
    label = "people"
