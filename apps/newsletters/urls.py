from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:newsletter_id>/", views.issue, name="issue"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("compose/", views.manage, name="manage"),
    path("compose/new/", views.new, name="new"),
    path("compose/<int:newsletter_id>/", views.edit, name="edit"),
    path("compose/<int:newsletter_id>/blocks/<str:kind>/", views.block_add, name="block_add"),
    path(
        "compose/<int:newsletter_id>/blocks/<int:block_id>/remove/",
        views.block_remove,
        name="block_remove",
    ),
    path(
        "compose/<int:newsletter_id>/blocks/<int:block_id>/move/",
        views.block_move,
        name="block_move",
    ),
    path("compose/<int:newsletter_id>/preview/", views.preview, name="preview"),
    path("compose/<int:newsletter_id>/test/", views.send_test, name="send_test"),
    path("compose/<int:newsletter_id>/send/", views.send, name="send"),
]
