"""Rehash every stored API token with HMAC-SHA256 keyed from SECRET_KEY (people/tokens.py).

Stored digests were plain SHA-256 of the token; the new digest is the keyed HMAC of that
SHA-256, so every token keeps working and nobody has to make a new one. Reversing this
migration leaves the keyed digests in place, and the older code cannot check them: every
token then stops working (revoked in effect) rather than anything being weakened.
"""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

# Copied from people/tokens.py on purpose: a migration must keep doing what it did.
_KEY_SALT = "microsolidarity.people.ApiToken"


def rehash_with_the_site_key(apps, schema_editor):
    ApiToken = apps.get_model("people", "ApiToken")
    for token in ApiToken.objects.only("pk", "key_hash").iterator():
        keyed = salted_hmac(
            _KEY_SALT, token.key_hash, secret=settings.SECRET_KEY, algorithm="sha256"
        ).hexdigest()
        ApiToken.objects.filter(pk=token.pk).update(key_hash=keyed)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.RunPython(rehash_with_the_site_key, migrations.RunPython.noop, elidable=False)
    ]
