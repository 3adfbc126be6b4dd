from django.urls import path

from . import views

app_name = "spread"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("public/", views.public_catalogue, name="public_catalogue"),
    path("public/<int:solution_id>/", views.public_detail, name="public_detail"),
    path("totals/", views.totals, name="totals"),
    path("offer/<str:reference>/", views.solution_new, name="solution_new"),
    path("<int:solution_id>/", views.solution_detail, name="solution"),
    path("<int:solution_id>/edit/", views.solution_edit, name="solution_edit"),
    path("<int:solution_id>/publication/", views.publication, name="publication"),
    path(
        "<int:solution_id>/documents/<int:attachment_id>/",
        views.solution_document,
        name="document",
    ),
    path("<int:solution_id>/adopt/", views.adopt, name="adopt"),
    path("adoptions/<int:adoption_id>/", views.adoption, name="adoption"),
    path("adoptions/<int:adoption_id>/stage/", views.adoption_stage, name="adoption_stage"),
    path(
        "adoptions/<int:adoption_id>/benefits/new/",
        views.benefit_new_for_adoption,
        name="adoption_benefit_new",
    ),
    path("ideas/<str:reference>/benefits/new/", views.benefit_new_for_idea, name="benefit_new"),
    path("benefits/<int:benefit_id>/", views.benefit_detail, name="benefit"),
    path("benefits/<int:benefit_id>/edit/", views.benefit_edit, name="benefit_edit"),
    path("benefits/<int:benefit_id>/measure/", views.measure, name="measure"),
]
