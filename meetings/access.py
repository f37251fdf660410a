"""Who may see which meeting; every meetings view fetches through here (docs/access.md)."""


def nav_items(user) -> list[tuple[str, str]]:
    """Menu entries of this app the user may use: (url name, label)."""
    return []
