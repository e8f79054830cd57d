"""Links on the site's public address, and the one way email is written and sent."""

from django.core import mail

from microsolidarity.mail import Attachment, email_build, email_send
from microsolidarity.site import absolute_url, site_url


def test_links_follow_site_url_when_it_changes(settings):
    settings.SITE_URL = "https://community.example.org/"
    assert site_url() == "https://community.example.org"
    assert absolute_url("/groups/") == "https://community.example.org/groups/"
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert absolute_url("/groups/") == "http://127.0.0.1:8123/groups/"


def test_an_email_is_written_one_line_a_line_with_a_one_line_subject():
    assert email_send(to=["ada@example.org"], subject="Hello\nthere", lines=["one", "two"]) == 1
    (sent,) = mail.outbox
    assert sent.subject == "Hello there"
    assert sent.body == "one\ntwo\n"
    assert sent.to == ["ada@example.org"]


def test_nobody_to_write_to_sends_nothing():
    assert email_send(to=["", ""], subject="Hello", body="text") == 0
    assert mail.outbox == []


def test_an_attachment_that_cannot_be_built_is_left_off_and_the_email_still_goes(caplog):
    def broken() -> bytes:
        raise ValueError("no calendar today")

    good = Attachment("invite.ics", lambda: b"BEGIN:VCALENDAR")
    email_send(
        to=["ada@example.org"],
        subject="See you",
        body="text",
        attachments=[Attachment("broken.ics", broken), good],
    )
    (sent,) = mail.outbox
    assert [name for name, _content, _type in sent.attachments] == ["invite.ics"]
    assert "broken.ics" in caplog.text


def test_html_goes_beside_the_text_with_the_headers_given():
    message = email_build(
        to=["ada@example.org"],
        subject="News",
        body="plain",
        html="<p>rich</p>",
        headers={"List-Unsubscribe": "<https://example.org/off>"},
    )
    assert message.alternatives[0][0] == "<p>rich</p>"
    assert message.extra_headers["List-Unsubscribe"] == "<https://example.org/off>"
