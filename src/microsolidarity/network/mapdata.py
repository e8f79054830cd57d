"""What the map shows: listed congregations as pins, and members counted per town.

A town's count appears only when at least MAP_MIN_MEMBERS members there chose to be on the
map; fewer would come close to pointing at a person. Places are town centroids (GeoNames),
the same for everyone, so nothing finer can be worked out by looking twice.
"""

from dataclasses import dataclass

from django.db.models import Count

from microsolidarity.network.directory import listed_congregations
from microsolidarity.network.models import MapChoice
from microsolidarity.network.world import project
from microsolidarity.people.models import Profile

MAP_MIN_MEMBERS = 3


@dataclass(frozen=True)
class Pin:
    label: str
    url: str
    latitude: float
    longitude: float
    count: int = 0

    @property
    def xy(self) -> tuple[float, float]:
        return project(self.longitude, self.latitude)

    @property
    def x(self) -> float:
        return self.xy[0]

    @property
    def y(self) -> float:
        return self.xy[1]


def congregation_pins(viewer) -> list[Pin]:
    pins = []
    for group in listed_congregations(viewer):
        listing = group.network_listing
        if listing.town_latitude is None:
            continue
        pins.append(
            Pin(
                label=f"{group.name} ({listing.town_name})",
                url=group.get_absolute_url(),
                latitude=listing.town_latitude,
                longitude=listing.town_longitude,
                count=group.member_count,
            )
        )
    return pins


def member_towns(*, minimum: int = MAP_MIN_MEMBERS) -> list[Pin]:
    """Towns where `minimum` or more members chose to be counted, with their count."""
    rows = (
        Profile.objects.filter(
            person_id__in=MapChoice.objects.values("person_id"),
            person__is_active=True,
            town_geonameid__isnull=False,
        )
        .values("town_geonameid", "town_name", "town_latitude", "town_longitude")
        .annotate(members=Count("pk"))
        .filter(members__gte=minimum)
        .order_by("-members", "town_name")
    )
    return [
        Pin(
            label=row["town_name"],
            url="",
            latitude=row["town_latitude"],
            longitude=row["town_longitude"],
            count=row["members"],
        )
        for row in rows
    ]


def map_geojson(congregations: list[Pin], towns: list[Pin]) -> dict:
    """The pins as GeoJSON for Leaflet; the outlines come from the atlas file itself."""

    def feature(pin: Pin, kind: str) -> dict:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [pin.longitude, pin.latitude]},
            "properties": {"kind": kind, "label": pin.label, "url": pin.url, "count": pin.count},
        }

    return {
        "type": "FeatureCollection",
        "features": [feature(p, "congregation") for p in congregations]
        + [feature(p, "members") for p in towns],
    }
