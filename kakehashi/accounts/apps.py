from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kakehashi.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the sign-in and sign-out receivers)
