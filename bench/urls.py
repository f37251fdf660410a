from django.urls import include, path

from ageo_network.urls import handler403, handler404, handler500  # noqa: F401
from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("", include("ageo_network.urls")),
]
