"""Our own actors: each public congregation is a Group, the instance an Application.

Their addresses hang off SITE_URL, so they are stable whatever host a request came in on.
"""

from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from django.urls import reverse

from microsolidarity.groups.models import Group, Scale, Status, Visibility
from microsolidarity.network.models import Listing, SigningKey
from microsolidarity.site import absolute_url, site_url

INSTANCE_USERNAME = "relay"


def site_domain() -> str:
    return urlsplit(site_url()).netloc


def group_is_actor(group: Group) -> bool:
    """Only a public congregation that did not opt out speaks to other servers."""
    if group.scale != Scale.CONGREGATION or group.visibility != Visibility.PUBLIC:
        return False
    if group.status == Status.CLOSED:
        return False
    listing = Listing.objects.filter(group=group).only("federated").first()
    return listing is None or listing.federated


def group_actor_uri(group: Group) -> str:
    return absolute_url(reverse("federation_group", args=[group.slug]))


def group_followers_uri(group: Group) -> str:
    return absolute_url(reverse("federation_group_followers", args=[group.slug]))


def instance_actor_uri() -> str:
    return absolute_url(reverse("federation_instance"))


def key_id_for(actor_uri: str) -> str:
    return f"{actor_uri}#main-key"


def signing_key(group: Group | None) -> SigningKey:
    """The actor's key, made on first use (2048-bit RSA, as Mastodon and Mobilizon expect)."""
    found = SigningKey.objects.filter(group=group).first()
    if found is not None:
        return found
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                group=group,
                for_instance=group is None,
                private_key_pem=private_pem,
                public_key_pem=public_pem,
            )
    except IntegrityError:
        # Two requests raced to make it; the first one wins.
        return SigningKey.objects.get(group=group)


def signer_identity(group: Group | None) -> tuple[str, SigningKey]:
    """The key id and key a delivery is signed with."""
    uri = group_actor_uri(group) if group is not None else instance_actor_uri()
    return key_id_for(uri), signing_key(group)
