"""Reads that are more than a filter."""


def home_panels(request) -> list[dict]:
    """Panels of this app on the user's home page: each a dict with `template` (a partial under
    templates/<app>/) and the context that partial displays. Computed here, never in the template."""
    return []
