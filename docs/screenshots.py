"""Screenshots of the demo for the README (make screenshots): one PNG per main role under docs/screenshots/.

Builds the demo on a fresh embedded (SQLite) database in a temporary folder, exactly as `make demo-db`
does, serves it with runserver on SCREENSHOT_PORT (8150), signs each role in through the real sign-in
pages (password, the backup code demo_accounts prints for the two-factor roles, the Art. 10 pledge) in
headless Debian Chromium (ja-JP, 1280×800) and saves the page that shows that role's work."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8150"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# (file name, demo account, the page that shows its work)
SHOTS = [
    ("secretariat", "demo-secretariat", "/"),
    ("hub-worker", "demo-hub", "/cases/"),
    ("supervisor", "demo-supervisor", "/reports/cases/"),
    ("department", "demo-department", "/cases/referrals/"),
    ("business", "demo-business", "/"),
]


def manage(env, *args) -> str:
    command = [PYTHON, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"runserver did not answer on {url}")


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def sign_in(page, base: str, username: str, code: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-pass-2024")
    submit(page, "ログイン")
    if "/two-factor/" in page.url:
        page.fill("input[name=token]", code)
        submit(page, "確認する")
    if "/pledge/" in page.url:
        page.check("input[name=agree]")
        submit(page, "誓約する")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite3",
            "PRIVATE_FILES_ROOT": f"{folder}/private",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_bodies")
        accounts = manage(env, "demo_accounts")
        manage(env, "load_demo")
        codes = {line.split()[0]: line.split()[2] for line in accounts.splitlines() if line.startswith("  demo-")}
        base = f"http://127.0.0.1:{PORT}"
        server = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/accounts/login/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, username, path in SHOTS:
                    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    sign_in(page, base, username, codes.get(username, "-"))
                    if os.environ.get("SCREENSHOT_DEBUG"):
                        print(username, page.url, page.inner_text("main")[:300])
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=OUT / f"{name}.png")
                    print(f"{OUT.relative_to(ROOT)}/{name}.png: {username} {path}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
