"""The web process's URL conf: every page (sluss.page_urls), the API and the admin."""

from django.contrib import admin
from django.urls import include, path

from sluss.page_urls import urlpatterns as page_urlpatterns

urlpatterns = [
    *page_urlpatterns,
    path("api/", include("apps.api.urls")),
    path("django-admin/", admin.site.urls),
]
