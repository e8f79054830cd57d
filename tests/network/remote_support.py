"""A remote actor for tests: a key pair we hold, and signed posts as its server would make."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class FakeRemote:
    """A remote actor we hold the key of, as if it lived on another server."""

    def __init__(self, domain: str = "127.0.0.1:9", name: str = "riverside", kind: str = "Group"):
        self.domain = domain
        self.uri = f"http://{domain}/actors/{name}"
        self.key_id = f"{self.uri}#main-key"
        self.kind = kind
        self.name = name
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.public_pem = (
            self.private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def store(self):
        from microsolidarity.network.models import RemoteActor
        from microsolidarity.network.remote_actors import server_for

        return RemoteActor.objects.create(
            uri=self.uri,
            server=server_for(self.domain),
            actor_type=self.kind,
            preferred_username=self.name,
            name=self.name.title(),
            inbox=f"{self.uri}/inbox",
            key_id=self.key_id,
            public_key_pem=self.public_pem,
        )

    def activity(self, kind: str, obj, number: int = 1) -> dict:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.uri}/activities/{kind.lower()}-{number}",
            "type": kind,
            "actor": self.uri,
            "object": obj,
        }

    def post(self, client, path: str, activity: dict, *, sign_with=None, body: bytes | None = None):
        from django.conf import settings

        from microsolidarity.network.signatures import signed_headers

        body = body if body is not None else json.dumps(activity).encode()
        url = settings.SITE_URL + path
        headers = signed_headers(
            method="POST",
            url=url,
            body=body,
            key_id=self.key_id,
            private_key_pem=sign_with or self.private_pem,
        )
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        extra.pop("HTTP_CONTENT_TYPE", None)
        extra.pop("HTTP_HOST", None)
        host = headers["Host"]
        return client.post(
            path, data=body, content_type="application/activity+json", HTTP_HOST=host, **extra
        )
