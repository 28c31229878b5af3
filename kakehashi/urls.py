from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from kakehashi.api import api
from kakehashi.core import health
from kakehashi.home import views as home_views
from kakehashi.hub import views as hub_views
from kakehashi.portal import views as portal_views
from kakehashi.reference import views as reference_views

# /admin/ only for a session verified with a second factor (django-otp's documented way).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("", home_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("kakehashi.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cases/", include("kakehashi.cases.urls")),
    path("job-offers/", include("kakehashi.joboffers.urls")),
    path("jobs/", include("kakehashi.joboffers.public_urls")),
    path("persons/", include("kakehashi.people.urls")),
    path("imports/", include("kakehashi.imports.urls")),
    path("procedures/", include("kakehashi.procedures.urls")),
    path("public/", include("kakehashi.public.urls")),
    path("registries/", include("kakehashi.registries.urls")),
    path("protection/", include("kakehashi.protection.urls")),
    path("me/", include("kakehashi.portal.urls")),
    path("hub/", include("kakehashi.hub.urls")),
    path("support/", include("kakehashi.support.urls")),
    path("privacy/", include("kakehashi.privacy.urls")),
    path("public/statistics/", hub_views.public_statistics_view, name="public_statistics"),
    path("join/", portal_views.join_view, name="join"),
    path("join/<str:code>/", portal_views.join_view, name="join_code"),
    path("sources/", reference_views.source_list, name="sources"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
