from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:slug>.<str:fmt>", views.export, name="export"),
    path("public/", views.public, name="public"),
    path("public/export/<slug:slug>.<str:fmt>", views.public_export, name="public_export"),
]
