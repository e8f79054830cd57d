"""Emails of moderation to a group's hosts; sent after the transaction that made the report."""

from django.urls import reverse
from django.utils.translation import gettext as _

from microsolidarity.groups.queries import hosting_members
from microsolidarity.mail import email_send
from microsolidarity.moderation.models import Report
from microsolidarity.site import absolute_url


def report_notify_hosts(*, report_id: int) -> int:
    """Tell the group's hosts that a report waits for them; returns how many were told.

    The email carries no names and not the report itself: those stay on the site, behind the
    hosts' sign-in. The reporter, if they host too, is not told of their own report.
    """
    report = Report.objects.select_related("group").filter(pk=report_id).first()
    if report is None:
        return 0
    group = report.group
    emails = sorted(
        {
            membership.person.email
            for membership in hosting_members(group)
            if membership.person_id != report.reporter_id and membership.person.is_active
        }
    )
    if not emails:
        return 0
    link = absolute_url(reverse("moderation_queue", args=[group.slug]))
    subject = _("A new report for the hosts of %(group)s") % {"group": group.name}
    body = _(
        "A member of %(group)s asked the hosts to look at something.\n\n"
        "Read the report and decide together what to do: %(link)s\n\n"
        "Nothing happens until one of you acts, however many reports there are.\n"
    ) % {"group": group.name, "link": link}
    for email in emails:
        # One message each, so no host's address is shown to the others.
        email_send(to=[email], subject=subject, body=body)
    return len(emails)
