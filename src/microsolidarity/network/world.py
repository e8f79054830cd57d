"""The world's outlines as SVG paths, decoded from world-atlas (npm) and drawn on the server.

No tiles and no request to anyone: the outlines ship in the npm package (Natural Earth at
1:110m, as TopoJSON) and are turned into one SVG path per country the first time a map is
drawn. The projection is equirectangular, cropped to the inhabited latitudes, so that a pin
is a simple linear function of a town's longitude and latitude, the same in Python and in
the browser.
"""

import json
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

ATLAS_STATIC = "world-atlas/countries-110m.json"
WIDTH = 1000.0
NORTH = 84.0
SOUTH = -60.0
HEIGHT = WIDTH * (NORTH - SOUTH) / 360.0


@dataclass(frozen=True, slots=True)
class CountryOutline:
    name: str
    path: str


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Longitude and latitude to the map's x and y (origin top left)."""
    latitude = max(SOUTH, min(NORTH, latitude))
    x = (longitude + 180.0) / 360.0 * WIDTH
    y = (NORTH - latitude) / (NORTH - SOUTH) * HEIGHT
    return round(x, 1), round(y, 1)


def _atlas() -> dict:
    found = finders.find(ATLAS_STATIC)
    if found:
        with open(found, encoding="utf-8") as handle:
            return json.load(handle)
    # Production: collectstatic copied it from node_modules into STATIC_ROOT.
    with staticfiles_storage.open(ATLAS_STATIC) as handle:
        return json.load(handle)


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised and delta-encoded; return them as longitude, latitude."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_rest in arc])
            continue
        (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_rest in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        # A negative index is the one's complement of an arc walked backwards.
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point: keep it once.
        points.extend(arc[1:] if points else arc)
    return points


def _ring_path(ring: list[tuple[float, float]]) -> str:
    projected = [project(lon, lat) for lon, lat in ring]
    deduplicated = [
        point for i, point in enumerate(projected) if i == 0 or point != projected[i - 1]
    ]
    if len(deduplicated) < 3:
        return ""
    head, *tail = deduplicated
    return f"M{head[0]:g},{head[1]:g}" + "".join(f"L{x:g},{y:g}" for x, y in tail) + "Z"


def _geometry_rings(geometry: dict) -> list[list[int]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["arcs"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


@cache
def world_outlines() -> tuple[CountryOutline, ...]:
    """One SVG path per country, computed once per process."""
    topology = _atlas()
    arcs = _decoded_arcs(topology)
    outlines = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        path = "".join(_ring_path(_ring(ring, arcs)) for ring in _geometry_rings(geometry))
        if path:
            outlines.append(
                CountryOutline(name=geometry.get("properties", {}).get("name", ""), path=path)
            )
    return tuple(outlines)
