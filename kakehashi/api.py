"""The JSON API under /api/v1/ (OpenAPI docs at /api/v1/docs)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Kakehashi API",
    version="1",
    description="Acceptance cases, procedures and registries of the Japan–partner-country "
    "Specified Skilled Worker framework.",
    urls_namespace="api-v1",
)
