"""Newsletters: subscribe without an account, confirm once, unsubscribe in one click, send.

Double opt-in: a subscription starts pending and receives nothing but its confirmation
mail until its owner presses the confirm button. Every issue carries RFC 8058 one-click
unsubscribe headers. Sending makes one `IssueDelivery` row per address, then batches claim
rows one by one (pending to sending, by a conditional update) before mailing: a batch that
dies mid-send is resumed from the rows still pending, and a row claimed but never recorded
is marked unconfirmed, never sent again. Nobody gets an issue twice.
"""

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group
from microsolidarity.mail import email_build, email_send
from microsolidarity.outreach import segments, tasks
from microsolidarity.outreach.access import can_write_issues, has_newsletter
from microsolidarity.outreach.models import (
    DeliveryStatus,
    IssueDelivery,
    IssueStatus,
    NewsletterIssue,
    Subscription,
    SubscriptionState,
)
from microsolidarity.outreach.rendering import markdown_html
from microsolidarity.site import absolute_url, site_url

logger = logging.getLogger(__name__)
BATCH_SIZE = 100
# A confirmation mail is sent again at most this often for the same address.
CONFIRM_RESEND_AFTER = timedelta(minutes=10)
# A row claimed this long ago and never recorded belongs to a sender that died.
STALE_CLAIM = timedelta(minutes=15)


def confirm_url(subscription: Subscription) -> str:
    return absolute_url(reverse("newsletter_confirm", args=[subscription.token]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute_url(reverse("newsletter_unsubscribe", args=[subscription.token]))


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _verified(person, email: str) -> bool:

    return EmailAddress.objects.filter(user=person, email__iexact=email, verified=True).exists()


@dataclass(frozen=True)
class SubscribeResult:
    subscription: Subscription
    confirmed_now: bool
    mail_sent: bool


@transaction.atomic
def subscription_request(*, group: Group, email: str, person=None) -> SubscribeResult:
    """Ask to subscribe an address. Someone signed in with that verified address is subscribed
    at once (they proved it already); anyone else gets a mail with one confirm button.

    The answer does not tell whether the address was already subscribed, so the form cannot
    be used to learn who reads a newsletter."""
    if not has_newsletter(group):
        raise RuleBroken(_("Only congregations and networks have a newsletter."))
    email = (email or "").strip()
    if "@" not in email or len(email) > 254:
        raise RuleBroken(_("Enter an email address such as name@example.org."), field="email")
    email = email.rsplit("@", 1)[0] + "@" + email.rsplit("@", 1)[1].lower()
    signed_in = person is not None and person.is_authenticated
    now = timezone.now()
    subscription = (
        Subscription.objects.select_for_update().filter(group=group, email__iexact=email).first()
    )
    if subscription is None:
        subscription = Subscription(
            group=group,
            email=email,
            state=SubscriptionState.PENDING,
            token=secrets.token_urlsafe(32),
            language=_language(),
        )
    if signed_in and subscription.person_id is None and person.email.lower() == email.lower():
        subscription.person = person
    if subscription.state == SubscriptionState.CONFIRMED:
        subscription.save()
        return SubscribeResult(subscription, confirmed_now=False, mail_sent=False)
    if signed_in and _verified(person, email):
        subscription.state = SubscriptionState.CONFIRMED
        subscription.confirmed_at = now
        subscription.unsubscribed_at = subscription.bounced_at = None
        subscription.save()
        return SubscribeResult(subscription, confirmed_now=True, mail_sent=False)
    recently = bool(
        subscription.confirm_sent_at and now - subscription.confirm_sent_at < CONFIRM_RESEND_AFTER
    )
    subscription.state = SubscriptionState.PENDING
    if not recently:
        subscription.confirm_sent_at = now
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        # Someone subscribed the same address a moment ago: theirs stands.
        subscription = Subscription.objects.get(group=group, email__iexact=email)
        return SubscribeResult(subscription, confirmed_now=False, mail_sent=False)
    if not recently:
        transaction.on_commit(partial(_confirmation_queue, subscription.pk))
    return SubscribeResult(subscription, confirmed_now=False, mail_sent=not recently)


def confirmation_send(*, subscription_id: int) -> bool:
    subscription = (
        Subscription.objects.select_related("group")
        .filter(pk=subscription_id, state=SubscriptionState.PENDING)
        .first()
    )
    if subscription is None:
        return False
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        name = subscription.group.name
        lines = [
            _("Hello,"),
            "",
            _("Someone, probably you, asked to receive the newsletter of %(group)s.")
            % {"group": name},
            _("To confirm, open this page and press the button:"),
            confirm_url(subscription),
            "",
            _("If it was not you, ignore this mail: nothing will be sent to you."),
        ]
        email_send(
            to=[subscription.email],
            subject=_("Confirm your subscription to %(group)s") % {"group": name},
            lines=lines,
        )
    return True


def subscription_by_token(token: str) -> Subscription | None:
    if not token or len(token) > 64:
        return None
    return Subscription.objects.select_related("group").filter(token=token).first()


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update().filter(token=token).first() if token else None
    )
    if subscription is None:
        raise RuleBroken(_("This confirmation link is not valid. Subscribe again from the page."))
    if subscription.state in (SubscriptionState.PENDING, SubscriptionState.BOUNCED):
        subscription.state = SubscriptionState.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.bounced_at = None
        subscription.save(update_fields=["state", "confirmed_at", "bounced_at"])
    elif subscription.state == SubscriptionState.UNSUBSCRIBED:
        raise RuleBroken(
            _("You unsubscribed from this newsletter. To receive it again, subscribe again.")
        )
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription | None:
    """One click, no sign-in, no questions: the address gets nothing more."""
    subscription = (
        Subscription.objects.select_for_update().filter(token=token).first() if token else None
    )
    if subscription is None:
        return None
    if subscription.state != SubscriptionState.UNSUBSCRIBED:
        subscription.state = SubscriptionState.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["state", "unsubscribed_at"])
        IssueDelivery.objects.filter(
            subscription=subscription, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.FAILED, error="unsubscribed")
    return subscription


@transaction.atomic
def subscription_bounce(*, email: str) -> int:
    """The mail server says this address cannot receive mail: stop sending to it everywhere."""
    now = timezone.now()
    email = (email or "").strip()
    if not email:
        return 0
    changed = Subscription.objects.filter(
        email__iexact=email,
        state__in=[SubscriptionState.CONFIRMED, SubscriptionState.PENDING],
    ).update(state=SubscriptionState.BOUNCED, bounced_at=now)
    IssueDelivery.objects.filter(
        email__iexact=email, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENT]
    ).update(status=DeliveryStatus.BOUNCED)
    return changed


def _body_check(subject: str, body: str) -> tuple[str, str]:
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise RuleBroken(_("Give the issue a subject."), field="subject")
    if len(subject) > 200:
        raise RuleBroken(_("Keep the subject under 200 characters."), field="subject")
    if not body:
        raise RuleBroken(_("Write the issue first."), field="body")
    if len(body) > 50000:
        raise RuleBroken(_("Keep the issue under 50,000 characters."), field="body")
    return subject, body


@transaction.atomic
def issue_create(*, by, group: Group, subject: str, body: str, segment: str) -> NewsletterIssue:
    if not can_write_issues(by, group):
        raise NotAllowed(_("Only the hosts write this newsletter."))
    subject, body = _body_check(subject, body)
    return NewsletterIssue.objects.create(
        group=group,
        subject=subject,
        body=body,
        segment=segments.segment_check(group, segment),
        created_by=by,
    )


@transaction.atomic
def issue_update(
    *, by, issue: NewsletterIssue, subject: str, body: str, segment: str
) -> NewsletterIssue:
    issue = NewsletterIssue.objects.select_for_update().select_related("group").get(pk=issue.pk)
    if not can_write_issues(by, issue.group):
        raise NotAllowed(_("Only the hosts write this newsletter."))
    if issue.status != IssueStatus.DRAFT:
        raise RuleBroken(_("This issue is already sent; write a new one."))
    issue.subject, issue.body = _body_check(subject, body)
    issue.segment = segments.segment_check(issue.group, segment)
    issue.save(update_fields=["subject", "body", "segment"])
    return issue


@transaction.atomic
def issue_delete(*, by, issue: NewsletterIssue) -> None:
    if not can_write_issues(by, issue.group):
        raise NotAllowed(_("Only the hosts write this newsletter."))
    if issue.status != IssueStatus.DRAFT:
        raise RuleBroken(_("A sent issue stays in the record."))
    issue.delete()


@transaction.atomic
def issue_send(*, by, issue: NewsletterIssue, expected_count: int | None = None) -> int:
    """Start sending: one delivery row per recipient now, mailed in batches by the queue.

    `expected_count` is the number the host saw in the preview; if the list changed since,
    nothing is sent and the host sees the new number."""

    issue = NewsletterIssue.objects.select_for_update().select_related("group").get(pk=issue.pk)
    if not can_write_issues(by, issue.group):
        raise NotAllowed(_("Only the hosts send this newsletter."))
    if issue.status != IssueStatus.DRAFT:
        raise RuleBroken(_("This issue is already being sent."))
    rows, seen = [], set()
    for subscription in segments.recipients(issue.group, issue.segment):
        key = subscription.email.lower()
        if key in seen:
            continue
        seen.add(key)
        rows.append(IssueDelivery(issue=issue, subscription=subscription, email=subscription.email))
    if not rows:
        raise RuleBroken(_("Nobody is subscribed in this segment yet; nothing was sent."))
    if expected_count is not None and expected_count != len(rows):
        raise RuleBroken(
            _(
                "The list changed since the preview: it is %(count)s people now. "
                "Check and send again."
            )
            % {"count": len(rows)}
        )
    IssueDelivery.objects.bulk_create(rows, batch_size=500)
    issue.status = IssueStatus.SENDING
    issue.send_started_at = timezone.now()
    issue.save(update_fields=["status", "send_started_at"])
    transaction.on_commit(partial(tasks.issue_batch_send.enqueue, issue.pk))
    return len(rows)


def issue_message(
    issue: NewsletterIssue, subscription: Subscription | None, email: str, html: str | None = None
):
    """One recipient's mail: the Markdown as text, rendered HTML, one-click unsubscribe."""
    group = issue.group
    lines = [issue.body, "", "--"]
    headers = {"List-Id": f"{group.name} <{group.slug}.newsletter.{_list_host()}>"}
    unsubscribe = unsubscribe_url(subscription) if subscription is not None else ""
    if unsubscribe:
        lines.append(
            _("You receive this because you subscribed to the newsletter of %(group)s.")
            % {"group": group.name}
        )
        lines.append(_("Unsubscribe in one click: %(url)s") % {"url": unsubscribe})
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = (
        f'<hr><p><small>{_("Unsubscribe in one click")}: <a href="{unsubscribe}">{unsubscribe}</a>'
        "</small></p>"
        if unsubscribe
        else ""
    )
    html = markdown_html(issue.body) if html is None else html
    return email_build(
        to=[email], subject=issue.subject, lines=lines, html=html + footer, headers=headers
    )


def _list_host() -> str:
    return urlsplit(site_url()).hostname or "localhost"


def _claim(delivery_id: int, now: datetime) -> bool:
    return bool(
        IssueDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
    )


def _settle(delivery_id: int, **fields) -> None:
    IssueDelivery.objects.filter(pk=delivery_id).update(**fields)


def issue_batch(*, issue_id: int, batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Mail the next batch of an issue; returns how many went out. Safe to run twice at once:
    each row is claimed before its mail, and only one claim of a row can succeed."""
    issue = NewsletterIssue.objects.select_related("group").filter(pk=issue_id).first()
    if issue is None or issue.status != IssueStatus.SENDING:
        return 0
    now = now or timezone.now()
    IssueDelivery.objects.filter(
        issue=issue, status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=DeliveryStatus.UNCONFIRMED)
    pending = list(
        IssueDelivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING)
        .select_related("subscription")
        .order_by("pk")[:batch_size]
    )
    sent = 0
    html = markdown_html(issue.body)
    for delivery in pending:
        subscription = delivery.subscription
        if subscription is None or subscription.state != SubscriptionState.CONFIRMED:
            _settle(delivery.pk, status=DeliveryStatus.FAILED, error="not subscribed any more")
            continue
        if not _claim(delivery.pk, now):
            continue
        with translation.override(subscription.language or settings.LANGUAGE_CODE):
            message = issue_message(issue, subscription, delivery.email, html=html)
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            _settle(delivery.pk, status=DeliveryStatus.BOUNCED, error=str(error)[:300])
            subscription_bounce(email=delivery.email)
            continue
        except Exception as error:
            # Not sent: the row goes back to pending and the batch stops; the next run retries.
            _settle(
                delivery.pk,
                status=DeliveryStatus.PENDING,
                claimed_at=None,
                attempts=delivery.attempts + 1,
                error=str(error)[:300],
            )
            logger.warning("Newsletter issue %s stopped: %s", issue.pk, type(error).__name__)
            raise
        _settle(delivery.pk, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
        sent += 1
    issue_finish_if_done(issue_id=issue.pk)
    return sent


def issue_finish_if_done(*, issue_id: int) -> bool:
    waiting = IssueDelivery.objects.filter(
        issue_id=issue_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    ).exists()
    if waiting:
        return False
    NewsletterIssue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).update(
        status=IssueStatus.SENT, sent_at=timezone.now()
    )
    return True


def issue_pending(issue_id: int) -> bool:
    return IssueDelivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.PENDING).exists()


def issues_resume(*, now: datetime | None = None) -> list[int]:
    """Issues still sending with rows left: the ones a worker should pick up again."""
    return list(
        NewsletterIssue.objects.filter(
            status=IssueStatus.SENDING, deliveries__status=DeliveryStatus.PENDING
        )
        .distinct()
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    waiting: int
    failed: int
    bounced: int
    unconfirmed: int

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def issue_progress(issue: NewsletterIssue) -> Progress:
    counts = dict(
        issue.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        waiting=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        bounced=counts.get(DeliveryStatus.BOUNCED, 0),
        unconfirmed=counts.get(DeliveryStatus.UNCONFIRMED, 0),
    )


def _confirmation_queue(subscription_id: int) -> None:

    tasks.confirmation_send.enqueue(subscription_id)
