from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backup and restore of the database and the uploaded files; no models, no URLs."""

    name = "apps.backups"
    label = "backups"
