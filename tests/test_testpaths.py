"""`make test` runs pytest over `testpaths`: an app whose tests are not listed there is silently never tested
(the reports app was, for a whole stop). Every top-level folder holding a test file must be listed."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_with_tests_is_in_testpaths():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    holding = {
        path.relative_to(ROOT).parts[0]
        for path in ROOT.glob("*/**/test_*.py")
        if path.relative_to(ROOT).parts[0] not in {".venv", "var", "node_modules"}
    }
    assert holding - listed == set()
