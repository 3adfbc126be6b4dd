from django.urls import path

from . import views

app_name = "ideas"
urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/receipt/", views.receipt, name="receipt"),
    path("submit/similar/", views.similar_on_form, name="similar_on_form"),
    path("follow/<str:token>/", views.submitter_page, name="submitter_page"),
    path(
        "follow/<str:token>/files/<int:attachment_id>/",
        views.submitter_attachment,
        name="submitter_attachment",
    ),
    path("my-ideas/", views.mine, name="mine"),
    path("workspace/board/", views.board, name="board"),
    path("workspace/ideas/", views.idea_list, name="list"),
    path("workspace/ideas/export.csv", views.idea_list_export, name="list_export"),
    path("workspace/ideas/<str:reference>/", views.detail, name="detail"),
    path("workspace/ideas/<str:reference>/similar/", views.similar, name="similar"),
    path("workspace/ideas/<str:reference>/move/", views.move, name="move"),
    path("workspace/ideas/<str:reference>/notes/", views.add_note, name="add_note"),
    path("workspace/ideas/<str:reference>/messages/", views.message_submitter, name="message"),
    path("workspace/ideas/<str:reference>/owner/", views.set_owner, name="set_owner"),
    path("workspace/ideas/<str:reference>/tags/", views.set_tags, name="set_tags"),
    path("workspace/ideas/<str:reference>/files/", views.add_attachments, name="add_files"),
    path("workspace/ideas/<str:reference>/links/", views.link, name="link"),
    path(
        "workspace/ideas/<str:reference>/links/<int:link_id>/remove/",
        views.unlink,
        name="unlink",
    ),
    path(
        "workspace/ideas/<str:reference>/files/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]
