from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Management commands that build benchmark data sets; no models, no URLs."""

    name = "apps.bench"
    label = "bench"
