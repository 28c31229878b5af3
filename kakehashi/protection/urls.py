from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("new/<slug:kind>/", views.new_item_view, name="new"),
    path("fee-policy/<int:agency_id>/", views.fee_policy_view, name="fee_policy"),
    path("grievances/", views.grievance_list_view, name="grievances"),
    path("grievances/<int:grievance_id>/", views.grievance_view, name="grievance"),
    path(
        "grievances/<int:grievance_id>/<slug:action>/",
        views.grievance_action_view,
        name="grievance_action",
    ),
    path("items/<int:item_id>/", views.item_view, name="item"),
    path("items/<int:item_id>/investigate/", views.investigate_view, name="investigate"),
    path("items/<int:item_id>/<slug:action>/", views.item_action_view, name="action"),
    path(
        "items/<int:item_id>/attachments/<int:attachment_id>/",
        views.attachment_view,
        name="attachment",
    ),
]
