"""URLs of the peer project: django-helpdesk at the root."""

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls"))]
