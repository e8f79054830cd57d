"""Every page of the demo, as a visitor, a member and a host, fits a phone (390 px) and a desktop
(1280 px) with no horizontal scroll, and has no serious accessibility violation.

The pages come from the URL resolver with the demo's objects filled in (demo_pages.py). The walk
is one test per width, so the two xdist workers can share it; one browser and one live server
serve each, and each role has one browser context. Failures are collected, so one run names
every page that needs work.
"""

import pytest
from axe_scan import axe_give
from demo_pages import demo_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
# A page sideways by less than this is rounding, not a scroll bar.
SLACK_PX = 1

OVERFLOW = """(slack) => {
  const root = document.documentElement;
  const wide = root.scrollWidth;
  const view = root.clientWidth;
  if (wide <= view + slack) return null;
  const culprits = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > view + slack && box.width > 0) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
        (element.className && typeof element.className === 'string'
          ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      culprits.push(name + ' (' + Math.round(box.right) + 'px)');
      if (culprits.length >= 4) break;
    }
  }
  return {wide, view, culprits};
}"""


def _signed_in_client(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def _crew_member():
    """Someone in one of the demo congregation's crews with a cycle: the cycle and meeting pages
    are open only to a crew's own members, and the demo host and member are in none."""
    from microsolidarity.crewing.models import CrewCycle
    from microsolidarity.demo.network import DEMO_HOST_EMAIL
    from microsolidarity.groups.models import Membership, MembershipState

    cycle = (
        CrewCycle.objects.filter(crew__parent__memberships__person__email=DEMO_HOST_EMAIL)
        .order_by("pk")
        .first()
    )
    return (
        Membership.objects.filter(group=cycle.crew, state=MembershipState.ACTIVE)
        .select_related("person")
        .order_by("pk")
        .first()
        .person
    )


def _check(page, path: str, width: int, role: str, axe_check, seen: set, failures: list) -> None:
    response = page.goto(path)
    where = f"{role} at {width} px: {path}"
    if response is None or response.status >= 500:
        failures.append(f"{where} answered {response.status if response else 'nothing'}")
        return
    final = page.url.split("#")[0]
    if final in seen:
        return
    seen.add(final)
    overflow = page.evaluate(OVERFLOW, SLACK_PX)
    if overflow:
        failures.append(
            f"{where} is {overflow['wide']} px wide in a {overflow['view']} px window: "
            + ", ".join(overflow["culprits"])
        )
    try:
        axe_check(page)
    except AssertionError as error:
        failures.append(f"{where}: {error}")


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def test_every_demo_page_fits_a_phone_and_a_desktop_without_axe_violations(
    browser, live_server, axe_check, width
):
    from django.conf import settings
    from django.test import Client

    from microsolidarity.demo.network import DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL, demo_network_load
    from microsolidarity.people.models import Person

    demo_network_load()
    people = {
        "host": Person.objects.get(email=DEMO_HOST_EMAIL),
        "member": Person.objects.get(email=DEMO_MEMBER_EMAIL),
        "crew member": _crew_member(),
    }
    clients = {role: _signed_in_client(person) for role, person in people.items()}
    clients["anonymous"] = Client()
    order = ["host", "member", "anonymous", "crew member"]
    found = demo_pages([clients[role] for role in order])
    assert len(found.pages) >= 80, (found.pages, found.skipped)
    everyone = [path for path, opener in found.pages if order[opener] != "crew member"]
    crew_only = [path for path, opener in found.pages if order[opener] == "crew member"]
    visits = {"anonymous": everyone, "member": everyone, "host": everyone, "crew member": crew_only}

    failures: list[str] = []
    for role, paths in visits.items():
        cookie = clients[role].cookies.get(settings.SESSION_COOKIE_NAME)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(15_000)
        axe_give(context)
        if cookie is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        seen: set[str] = set()
        for path in paths:
            _check(page, path, width, role, axe_check, seen, failures)
        context.close()
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
