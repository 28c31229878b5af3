from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kakehashi.cases"
    label = "cases"

    def ready(self) -> None:
        # An agency's certification decision reaches its open cases in the decision's own
        # transaction (registries/effects.py; docs/adr/0011).
        from kakehashi.registries.effects import on_agency_decision

        from . import receivers  # noqa: F401  (connects the receivers)
        from .services import cases_flag_for_agency_decision

        on_agency_decision("cases.flags", cases_flag_for_agency_decision)
