from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("new/<str:reference>/", views.new, name="new"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/edit/", views.edit, name="edit"),
    path("<int:meeting_id>/times/", views.add_options, name="add_options"),
    path(
        "<int:meeting_id>/times/<int:option_id>/remove/",
        views.remove_option,
        name="remove_option",
    ),
    path("<int:meeting_id>/propose/", views.propose, name="propose"),
    path("<int:meeting_id>/invite/", views.invite, name="invite"),
    path(
        "<int:meeting_id>/participants/<int:participant_id>/remove/",
        views.remove_participant,
        name="remove_participant",
    ),
    path("<int:meeting_id>/book/", views.book, name="book"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/notes/", views.notes, name="notes"),
    path("<int:meeting_id>/action-items/", views.add_action_item, name="add_action_item"),
    path("action-items/<int:item_id>/done/", views.action_item_done, name="action_item_done"),
    # "Mina uppgifter" and the private calendar feed.
    path("tasks/", views.tasks, name="tasks"),
    path("feed/", views.feed_reset, name="feed_reset"),
    path("feed/stop/", views.feed_stop, name="feed_stop"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    # A participant's private link: a capability, no account needed.
    path("p/<str:token>/", views.answer, name="answer"),
    path("p/<str:token>/invite.ics", views.answer_ics, name="answer_ics"),
    path("p/<str:token>/availability/", views.answer_availability, name="answer_availability"),
]
