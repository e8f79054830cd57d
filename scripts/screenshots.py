"""Take the README's screenshots: the demo in a throwaway database, served locally, photographed
by Debian's Chromium at a desktop and a phone width.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Nothing leaves the machine: the server is 127.0.0.1 and the browser asks only it.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _demo_addresses() -> dict[str, str]:
    """The pages to photograph, read from the freshly loaded demo."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    from microsolidarity.crewing.models import FormationRound
    from microsolidarity.demo.network import DEMO_HOST_EMAIL
    from microsolidarity.gatherings.models import Gathering
    from microsolidarity.groups.models import Group, Membership, Scale

    hosted = Membership.objects.filter(
        person__email=DEMO_HOST_EMAIL, group__scale=Scale.CONGREGATION
    ).values("group")
    congregation = Group.objects.filter(pk__in=hosted).order_by("pk").first()
    gathering = Gathering.objects.filter(group=congregation).order_by("pk").first()
    round_ = FormationRound.objects.filter(congregation=congregation).order_by("pk").first()
    return {
        "home": "/",
        "congregation": congregation.get_absolute_url(),
        "gathering": gathering.get_absolute_url(),
        "formation-round": round_.get_absolute_url(),
    }


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="ms-screenshots-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="microsolidarity.settings",
        DATABASE_URL=f"sqlite:///{work / 'demo.sqlite3'}",
        VAR_DIR=str(work),
        DEBUG="true",
    )
    addresses = _demo_addresses()
    from microsolidarity.demo.network import DEMO_HOST_EMAIL, DEMO_HOST_PASSWORD

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and a fixed command)
        [sys.executable, "-m", "microsolidarity", "runserver", "--noreload", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz")
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for size, viewport in SIZES.items():
                # The home page as a visitor first sees it; the rest as the demo host.
                visitor = browser.new_context(base_url=base, viewport=viewport)
                page = visitor.new_page()
                page.goto(addresses["home"])
                page.screenshot(path=out / f"home-{size}.png")
                visitor.close()
                host = browser.new_context(base_url=base, viewport=viewport)
                page = host.new_page()
                _sign_in(page, DEMO_HOST_EMAIL, DEMO_HOST_PASSWORD)
                for name in ("congregation", "gathering", "formation-round"):
                    page.goto(addresses[name])
                    page.screenshot(path=out / f"{name}-{size}.png")
                host.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    for picture in sorted(out.glob("*.png")):
        print(picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture)


if __name__ == "__main__":
    main()
