from django.urls import path

from . import views

app_name = "showcase"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("feed.atom", views.entry_feed, name="feed"),
    path("<int:entry_id>/", views.entry_detail, name="entry"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/ideas/<int:idea_id>/", views.entry_edit, name="edit"),
    path("workspace/ideas/<int:idea_id>/preview/", views.entry_preview, name="preview"),
    path(
        "workspace/ideas/<int:idea_id>/publication/",
        views.entry_publication,
        name="publication",
    ),
]
