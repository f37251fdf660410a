"""The outreach pages, one module per part of the app (the one views.py passed 800 lines)."""
