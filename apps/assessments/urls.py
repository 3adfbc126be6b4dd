from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<str:reference>/", views.round_new, name="round_new"),
    path("<int:round_id>/", views.round_detail, name="round"),
    path("<int:round_id>/scores/", views.score, name="score"),
    path("<int:round_id>/decision/", views.decide, name="decide"),
    path("<int:round_id>/close/", views.close, name="close"),
    path("<int:round_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/new/", views.criterion_edit, name="criterion_new"),
    path("criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
]
