from django.urls import path

from . import accessibility_report, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("accessibility/", accessibility_report.statement, name="accessibility"),
    path(
        "accessibility/report/",
        accessibility_report.accessibility_report,
        name="accessibility_report",
    ),
]
