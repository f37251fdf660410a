"""No code path changes a tracked model without a history row.

QuerySet.update() and bulk_update() bypass django-simple-history. Two guards:
a static scan of the project's code, and (in conftest.py) a runtime guard that
fails any test in which a tracked model is written that way.
"""

import ast
from pathlib import Path

from django.conf import settings

PROJECT_PACKAGES = ["ageo_network", "registry", "audit", "accounts", "meetings", "cases", "outreach"]


def suspicious_calls(source: str) -> list[int]:
    """Line numbers of .bulk_update(...) and of .update(...) on something that looks like a queryset."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "bulk_update":
            lines.append(node.lineno)
        elif node.func.attr == "update":
            receiver = ast.unparse(node.func.value)
            if any(
                marker in receiver
                for marker in (".objects", ".filter(", ".exclude(", ".all(", "select_for_update", "_set")
            ):
                lines.append(node.lineno)
    return lines


def test_the_scanner_finds_what_it_must():
    assert suspicious_calls("Case.objects.filter(pk=1).update(stage='x')") == [1]
    assert suspicious_calls("Body.objects.bulk_update(rows, ['name'])") == [1]
    assert suspicious_calls("person.pledges.all().update(ip=None)") == [1]
    assert suspicious_calls("data.update({'a': 1})") == []


def test_no_queryset_update_in_project_code():
    offenders = []
    for package in PROJECT_PACKAGES:
        root = Path(settings.BASE_DIR) / package
        for path in root.rglob("*.py") if root.exists() else []:
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for line in suspicious_calls(path.read_text()):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    assert not offenders, f"QuerySet.update()/bulk_update() bypass history: {offenders}"


def test_the_runtime_guard_refuses_queryset_update(db):
    import pytest

    from registry.models import Body

    with pytest.raises(AssertionError, match="bypasses history"):
        Body.objects.filter(pk=0).update(name="x")
