from django.urls import path  # noqa: F401  (the meetings issue adds its patterns)

app_name = "meetings"

urlpatterns: list = []
