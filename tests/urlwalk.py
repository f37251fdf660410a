"""Every URL pattern of the project, with sample arguments, for matrix tests."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_BY_CONVERTER = {"IntConverter": "999999", "UUIDConverter": str(uuid.UUID(int=1)), "StringConverter": "x"}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern), entry.pattern


def all_patterns():
    """(qualified name, raw route) for every pattern outside the Django admin."""
    for name, route, _ in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        yield name, route


def sample_path(route: str, converters: dict | None = None) -> str:
    """A concrete path for a route like 'registry/bodies/<int:pk>/'."""
    import re

    def repl(match):
        kind = match.group(1) or "str"
        return {"int": "999999", "uuid": str(uuid.UUID(int=1)), "str": "x", "slug": "x", "path": "x"}[kind]

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", repl, route)


def id_kwargs(name: str, missing: uuid.UUID) -> dict:
    """Arguments naming nothing for the object ids of URL `name` (uuid → `missing`, int → 999999);
    empty when the URL takes no object id (token links and the like are not ids)."""
    for qualified, _route, pattern in _walk(get_resolver().url_patterns):
        if qualified != name:
            continue
        kinds = {key: type(conv).__name__ for key, conv in pattern.converters.items()}
        if not any(kind in ("UUIDConverter", "IntConverter") for kind in kinds.values()):
            return {}
        if any(kind not in ("UUIDConverter", "IntConverter") for kind in kinds.values()):
            return {}
        return {key: (missing if kind == "UUIDConverter" else 999999) for key, kind in kinds.items()}
    return {}
