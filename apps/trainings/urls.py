from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("", views.course_list, name="courses"),
    path("mine/", views.my_registrations, name="mine"),
    path("participation/", views.participation, name="participation"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:course_id>/", views.course_detail, name="course"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/calendar.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:session_id>/register/", views.register, name="register"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/participants/", views.participants, name="participants"),
    path(
        "registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
