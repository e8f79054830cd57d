"""What crewing tells people: the caller hears when someone shows interest in their call."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import CallInterest
from microsolidarity.groups.notify import group_audience
from microsolidarity.notifications.models import Kind
from microsolidarity.notifications.services import notify


def interest_shown_notify(*, interest: CallInterest) -> None:
    call = interest.call
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(person)s is interested in your crew call: %(intention)s") % {
            "person": interest.person,
            "intention": call.intention,
        }
    notify(
        people=group_audience(call.congregation, [call.caller]),
        kind=Kind.CALL_INTEREST,
        text=text,
        link=call.get_absolute_url(),
        actor=interest.person,
    )
