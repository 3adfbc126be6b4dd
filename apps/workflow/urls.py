from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.process, name="process"),
    path("stages/new/", views.stage_edit, name="stage_new"),
    path("stages/<int:stage_id>/", views.stage_edit, name="stage_edit"),
    path("moves/", views.transition_add, name="transition_add"),
    path("moves/<int:transition_id>/delete/", views.transition_delete, name="transition_delete"),
]
