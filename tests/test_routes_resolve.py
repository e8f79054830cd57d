"""Every route is reachable: a path made for it resolves to it, not to a route before it that
happens to match too (the project mounts prefixed apps before the ones at "")."""

import re

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SAMPLES = {
    "int": "7",
    "slug": "a-sample",
    "str": "sample",
    "path": "a/b",
    "uuid": "12345678-1234-5678-1234-567812345678",
}
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the admin's regular expressions: its own routes, under admin/
        route = prefix + pattern.pattern._route
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_each_route_gets_the_paths_made_for_it():
    resolver = get_resolver()
    routes = set(_routes(resolver.url_patterns))
    taken = {}
    for route in routes:
        path = "/" + CONVERTER.sub(lambda m: SAMPLES[m.group(1) or "str"], route)
        taken[route] = resolver.resolve(path).route

    assert len(routes) > 200
    assert {route: got for route, got in taken.items() if got != route} == {}
