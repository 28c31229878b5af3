from django.apps import AppConfig


class JobOffersConfig(AppConfig):
    name = "kakehashi.joboffers"
    label = "joboffers"
