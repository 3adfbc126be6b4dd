from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "apps.trainings"
    label = "trainings"
