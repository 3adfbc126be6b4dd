from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "apps.handover"
    label = "handover"
