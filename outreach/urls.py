from django.urls import path  # noqa: F401  (the outreach issue adds its patterns)

app_name = "outreach"

urlpatterns: list = []
