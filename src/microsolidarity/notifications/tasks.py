"""Background tasks for notifications: each takes ids and only calls a service."""

from django.tasks import task

from microsolidarity.notifications import emails


@task
def notification_email(notification_id: int) -> int:
    return emails.notification_email_send(notification_id=notification_id)
