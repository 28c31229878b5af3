from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.work_view, name="work"),
    path("plans/<int:plan_id>/", views.plan_view, name="plan"),
    path("plans/<int:plan_id>/items/<slug:key>/", views.item_view, name="item"),
    path("plans/<int:plan_id>/interviews/", views.interview_view, name="interview"),
    *(
        path(f"plans/<int:plan_id>/{a}/", views.plan_write_view, {"action": a}, name=a)
        for a in views.PLAN_WRITES
    ),
    path("plans/<int:plan_id>/plan.pdf", views.plan_pdf_view, name="plan_pdf"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/<int:notification_id>/", views.notification_view, name="notification"),
    path(
        "notifications/<int:notification_id>/action/",
        views.notification_action_view,
        name="notification_action",
    ),
    path(
        "notifications/<int:notification_id>/draft.pdf",
        views.notification_pdf_view,
        name="notification_pdf",
    ),
]
