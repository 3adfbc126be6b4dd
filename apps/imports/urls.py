from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:job_id>/", views.job, name="job"),
    path("<int:job_id>/start/", views.start, name="start"),
]
