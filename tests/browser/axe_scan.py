"""axe-core for the browser tests: given to each browser context once, run on each page scanned.

axe-playwright-python's `Axe.run` sends the whole axe script (570 kB) into the page before every
scan: about a fifth of the every-page walk went there. A context's init script carries it into
each document the context opens instead (the top frame only, as the library's injection did), and
the scan keeps the library's call and options, so the rule set and the results are the same.
"""

from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS

AXE_INIT_SCRIPT = "if (window === window.top) {\n" + AXE_SCRIPT + "\n}"
SEVERE = ("serious", "critical")

_RUN = "options => window.axe ? axe.run(options) : null"


def axe_give(context) -> None:
    """Give the context's pages axe from their first script on."""
    context.add_init_script(AXE_INIT_SCRIPT)


def axe_violations(page) -> list[str]:
    """The serious and critical violations on the page, each with up to three of its places."""
    results = page.evaluate(_RUN, DEFAULT_OPTIONS)
    if results is None:
        # A page of a context that was not given axe (or opened before it was).
        page.evaluate(AXE_SCRIPT)
        results = page.evaluate(_RUN, DEFAULT_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in SEVERE
    ]
