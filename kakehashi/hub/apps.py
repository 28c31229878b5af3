from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "kakehashi.hub"
    label = "hub"

    def ready(self) -> None:
        # Whether the city holds the employer's cooperation confirmation reaches the engine's
        # facts (cases/facts.py; docs/adr/0011).
        from kakehashi.cases.facts import provide_workplace_facts

        from .facts import cooperation_facts

        provide_workplace_facts("hub.cooperation_confirmation", cooperation_facts)
