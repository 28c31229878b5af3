from typing import Any

from django.http import HttpRequest

from kakehashi.accounts.selectors import organizations_of


def organizations(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's organizations, shown in the header of every page."""
    return {"user_organizations": organizations_of(getattr(request, "user", None))}
