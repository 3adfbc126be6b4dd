from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "apps.ideas"
    label = "ideas"
