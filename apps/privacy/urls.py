from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("my-data/", views.my_data, name="my_data"),
    path("people/", views.people, name="people"),
    path("people/export/", views.person_export, name="person_export"),
    path("people/erase/", views.person_erase, name="person_erase"),
    path("retention/", views.retention, name="retention"),
]
