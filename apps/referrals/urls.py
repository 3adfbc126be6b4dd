from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("actors/", views.actors, name="actors"),
    path("actors/new/", views.actor_new, name="actor_new"),
    path("actors/<int:actor_id>/edit/", views.actor_edit, name="actor_edit"),
    path("new/<str:reference>/", views.new, name="new"),
    path("overdue/", views.overdue, name="overdue"),
    path("mine/", views.mine, name="mine"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/reply/", views.reply, name="reply"),
    path("<int:referral_id>/revoke/", views.revoke, name="revoke"),
    # The recipient's private link: a capability, no account needed.
    path("r/<str:token>/", views.respond, name="respond"),
    path("r/<str:token>/files/<int:attachment_id>/", views.respond_file, name="respond_file"),
]
