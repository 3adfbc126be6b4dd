"""The API (/api/v1/…) and the page where people manage their tokens (/api/tokens/)."""

from django.urls import include, path

from . import views
from .errors import answer_405_in_json
from .v1 import api as api_v1

token_patterns = [
    path("", views.tokens, name="list"),
    path("<int:token_id>/revoke/", views.revoke, name="revoke"),
]

urlpatterns = [
    path("v1/", answer_405_in_json(api_v1.urls)),
    path("tokens/", include((token_patterns, "api_tokens"))),
]
