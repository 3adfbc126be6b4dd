from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new, name="new"),
    path("<int:resource_id>/", views.detail, name="detail"),
    path("<int:resource_id>/edit/", views.edit, name="edit"),
    path("<int:resource_id>/archive/", views.archive, name="archive"),
    path("<int:resource_id>/versions/new/", views.new_version, name="new_version"),
    path("<int:resource_id>/versions/<int:number>/", views.download, name="download"),
]
