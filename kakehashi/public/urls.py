"""Public registers, no sign-in (MOC §6(1)–(3), §7(5), §8). Feeds have stable addresses:
/public/<register>.json and /public/<register>.csv, all taking ?on=YYYY-MM-DD."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("help/", views.help_page, name="help"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency"),
    path("revocations/", views.revocation_list, name="revocations"),
    path("improvement-orders/", views.improvement_order_list, name="improvement_orders"),
    path("support-organizations/", views.support_organization_list, name="support_organizations"),
    path("field-suspensions/", views.field_suspension_list, name="field_suspensions"),
]

for _register in views.REGISTERS:
    for _fmt in ("json", "csv"):
        urlpatterns.append(
            path(
                f"{_register}.{_fmt}",
                views.feed,
                {"register": _register, "fmt": _fmt},
                name=f"{_register.replace('-', '_')}_{_fmt}",
            )
        )
