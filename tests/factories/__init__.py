"""make_<model>(**overrides) factories shared by every app's tests (kept out of the app packages, which ship)."""
