from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Public registry pages and feeds (MOC §6(1)–(3), §7(5), §8): no models, no sign-in."""

    name = "kakehashi.public"
    label = "public"
    verbose_name = _("Public registers")
