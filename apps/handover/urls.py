from django.urls import path

from . import views

app_name = "handover"
urlpatterns = [
    path("people/<int:person_id>/", views.person, name="person"),
    path("orphans/", views.orphans, name="orphans"),
]
