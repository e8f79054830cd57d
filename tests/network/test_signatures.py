"""HTTP signatures: what we sign verifies, and anything forged, stale or partial is refused."""

import email.utils
import time

import pytest
import time_machine
from remote_support import FakeRemote

from microsolidarity.network.signatures import SignatureRefused, signature_verify, signed_headers

URL = "https://groups.example.org/federation/inbox"
BODY = b'{"type": "Follow"}'


@pytest.fixture(scope="module")
def keys():
    return FakeRemote(), FakeRemote()


def sign(remote, *, body=BODY, url=URL, method="POST"):
    return signed_headers(
        method=method, url=url, body=body, key_id=remote.key_id, private_key_pem=remote.private_pem
    )


def test_a_signed_post_verifies_and_names_its_key(keys):
    remote, _other = keys
    headers = sign(remote)
    key_id = signature_verify(
        method="POST", url=URL, headers=headers, body=BODY, public_key_pem=remote.public_pem
    )
    assert key_id == remote.key_id
    assert set(headers) >= {"Date", "Host", "Digest", "Signature"}


def test_a_signature_made_with_another_key_is_refused(keys):
    remote, forger = keys
    headers = signed_headers(
        method="POST", url=URL, body=BODY, key_id=remote.key_id, private_key_pem=forger.private_pem
    )
    with pytest.raises(SignatureRefused, match="Invalid signature"):
        signature_verify(
            method="POST", url=URL, headers=headers, body=BODY, public_key_pem=remote.public_pem
        )


def test_a_changed_body_is_refused(keys):
    remote, _other = keys
    headers = sign(remote)
    with pytest.raises(SignatureRefused, match="Digest"):
        signature_verify(
            method="POST",
            url=URL,
            headers=headers,
            body=b'{"type": "Delete"}',
            public_key_pem=remote.public_pem,
        )


def test_a_signature_for_another_inbox_is_refused(keys):
    remote, _other = keys
    headers = sign(remote, url="https://groups.example.org/federation/groups/other/inbox")
    with pytest.raises(SignatureRefused):
        signature_verify(
            method="POST", url=URL, headers=headers, body=BODY, public_key_pem=remote.public_pem
        )


def test_a_signature_that_leaves_out_the_digest_is_refused(keys):
    remote, _other = keys
    headers = sign(remote)
    headers["Signature"] = headers["Signature"].replace(
        'headers="(request-target) date host digest"', 'headers="(request-target) date host"'
    )
    with pytest.raises(SignatureRefused, match="must cover digest"):
        signature_verify(
            method="POST", url=URL, headers=headers, body=BODY, public_key_pem=remote.public_pem
        )


def test_a_stale_date_is_refused(keys):
    remote, _other = keys
    with time_machine.travel(time.time() - 3600, tick=False):
        headers = sign(remote)
    with pytest.raises(SignatureRefused, match="too far"):
        signature_verify(
            method="POST", url=URL, headers=headers, body=BODY, public_key_pem=remote.public_pem
        )


def test_an_unsigned_or_garbled_request_is_refused(keys):
    remote, _other = keys
    date = {"Date": email.utils.formatdate(usegmt=True)}
    with pytest.raises(SignatureRefused, match="not signed"):
        signature_verify(
            method="POST", url=URL, headers=date, body=BODY, public_key_pem=remote.public_pem
        )
    with pytest.raises(SignatureRefused):
        signature_verify(
            method="POST",
            url=URL,
            headers={**date, "Signature": "nonsense"},
            body=BODY,
            public_key_pem=remote.public_pem,
        )
