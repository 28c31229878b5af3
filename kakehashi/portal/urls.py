from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.me_view, name="me"),
    path("contact/", views.contact_view, name="contact"),
    path("fees/", views.fees_view, name="fees"),
    path("fees/<int:fee_id>/acknowledge/", views.fee_acknowledge_view, name="fee_acknowledge"),
    path("fees/<int:fee_id>/dispute/", views.fee_dispute_view, name="fee_dispute"),
    path("grievances/", views.grievances_view, name="grievances"),
    path("grievances/<int:grievance_id>/", views.grievance_view, name="grievance"),
    path(
        "grievances/<int:grievance_id>/messages/",
        views.grievance_message_view,
        name="grievance_message",
    ),
]
