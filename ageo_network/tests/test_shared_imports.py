"""The shared package's helpers import no project app: the apps build on them, never the reverse.

Only the project wiring (settings, URLs, the context processor, the home view, the servers, the
database check) may know the apps.
"""

import ast
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

SHARED = Path(settings.BASE_DIR) / "ageo_network"
WIRING = {
    "settings.py",
    "urls.py",
    "context_processors.py",
    "views.py",
    "wsgi.py",
    "asgi.py",
    "checkdb.py",
    "apps.py",
    "admin_site.py",
}


def project_apps() -> set[str]:
    """The top-level names of the project's own apps (registry, cases, audit, ...), the shared package excepted."""
    base = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()  # the venv may live inside the checkout (.venv)
    names = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(installed) and config.name != "ageo_network":
            names.add(config.name.split(".")[0])
    return names


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in `source`, at module level or inside a function,
    and for import_module("...") / __import__("...") with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def shared_modules() -> list[Path]:
    return [
        path
        for path in sorted(SHARED.rglob("*.py"))
        if not ({"tests", "migrations"} & set(path.relative_to(SHARED).parts))
        and path.relative_to(SHARED).as_posix() not in WIRING
    ]


def test_the_scanner_finds_what_it_must():
    source = (
        "import registry.models\n"
        "from cases.fields import search_hash\n"
        "from . import wareki\n"
        "def f():\n"
        "    from audit.access import x\n"
        "    return importlib.import_module('accounts.sessions')\n"
    )
    assert imported_modules(source) == [
        (1, "registry.models"),
        (2, "cases.fields"),
        (5, "audit.access"),
        (6, "accounts.sessions"),
    ]


def test_the_project_apps_are_known():
    assert {"registry", "cases", "audit", "accounts", "meetings", "outreach"} <= project_apps()


def test_shared_helpers_import_no_project_app():
    app_names = project_apps()
    modules = shared_modules()
    assert SHARED / "history.py" in modules and SHARED / "templatetags" / "wareki.py" in modules
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line} imports {module}"
        for path in modules
        for line, module in imported_modules(path.read_text())
        if module.split(".")[0] in app_names
    ]
    assert not offenders, f"the shared package must not depend on the apps: {offenders}"
