"""The demo's directory listings and members on the map, through the network's services."""

import random

from microsolidarity.groups.models import Group, Membership, Role, Scale
from microsolidarity.network.services import listing_save, map_choice_set
from microsolidarity.people.models import Person
from microsolidarity.people.towns import town_search

# Per congregation (by the first word of its name): its town, rhythm and whether it meets online.
LISTINGS = {
    "Lisbon": (
        "Lisbon, Portugal",
        "A monthly call, and a weekend gathering each spring and autumn.",
        False,
    ),
    "Berlin": (
        "Berlin, Germany",
        "Crews meet weekly; the whole congregation every second month.",
        True,
    ),
    "Cascadia": ("Portland, United States", "Online every month, in person twice a year.", True),
}
MAP_SHARE = 0.6


def _town(label: str):
    name, _sep, country = label.partition(", ")
    for town in town_search(label, limit=5):
        if town.name == name and town.country == country:
            return town
    return None


def demo_network_map_load(rng: random.Random, network: Group) -> None:
    for congregation in Group.objects.filter(parent=network, scale=Scale.CONGREGATION).order_by(
        "pk"
    ):
        plan = LISTINGS.get(congregation.name.split()[0])
        if plan is None:
            continue
        label, rhythm, online = plan
        host = (
            Membership.objects.filter(group=congregation, role=Role.HOST)
            .select_related("person")
            .first()
        )
        listing_save(
            by=host.person,
            group=congregation,
            listed=True,
            meets_online=online,
            town=_town(label),
            rhythm=rhythm,
            contact=f"hosts+{congregation.slug}@demo.microsolidarity.local",
        )
    people = Person.objects.filter(profile__town_geonameid__isnull=False).select_related("profile")
    for person in people.order_by("pk"):
        if rng.random() < MAP_SHARE:
            map_choice_set(person=person, on_map=True)
