"""What every browser journey does on its key screens: a screenshot under var/journeys/<journey>/
(git-ignored, to look at after a run) and, on trainer pages, an accessibility check with axe-core
(node_modules/axe-core, installed by `make install-dev` from package-lock.json) that fails on any
serious or critical violation."""

import json
import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "journeys"
BLOCKING = {"serious", "critical"}


class Journey:
    """Numbered screenshots of one journey; the folder is emptied when the journey starts."""

    def __init__(self, name):
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step = 0

    def shot(self, page, name):
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)

    def trainer_page(self, page, name):
        """A trainer's screen: screenshot, then no serious or critical axe-core violation."""
        self.shot(page, name)
        assert_accessible(page, name)


def violations(page):
    """axe-core's violations on the page (WCAG 2.x A and AA rules and best practices)."""
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make install-dev` (needs npm)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # The page's Content-Security-Policy would refuse an injected script: the contexts of the
        # journeys bypass it (bypass_csp=True); the policy itself has its own browser test.
        page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await window.axe.run(document)).violations")


def assert_accessible(page, name):
    blocking = [v for v in violations(page) if v.get("impact") in BLOCKING]
    if blocking:
        lines = [f"{name} ({page.url}): {len(blocking)} serious or critical accessibility violation(s)"]
        for violation in blocking:
            lines.append(
                f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
            )
            for node in violation["nodes"][:5]:
                lines.append(
                    f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}"
                )
                lines.append(f"      {node['html'][:200]}")
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in_admin(page, base: str, username: str) -> None:
    """Sign in on the admin's login page with the factories' password; waits for the admin home."""
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
