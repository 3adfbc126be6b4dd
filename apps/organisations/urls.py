from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:parent_id>/new/", views.organisation_new, name="organisation_new"),
    path("<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "<int:organisation_id>/deactivate/",
        views.organisation_deactivate,
        name="organisation_deactivate",
    ),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/roles/", views.role_grant, name="role_grant"),
    path(
        "people/<int:person_id>/roles/<int:membership_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path("people/<int:person_id>/leave-date/", views.person_leave_date, name="person_leave_date"),
    path("people/<int:person_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
]
