"""Your notifications: the list (newest first, paged) and marking them read."""

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from microsolidarity.api.auth import PERSON
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import DbId, ErrorOut
from microsolidarity.notifications import services
from microsolidarity.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="join_request, join_approved, call_interest or poll_opened.")
    text: str
    link: str = Field(description="A path on this site, or empty.")
    created_at: datetime
    read_at: datetime | None


class ReadIn(Schema):
    ids: list[DbId] | None = Field(
        None, max_length=1000, description="The ones to mark read; leave it out for all."
    )


class UnreadOut(Schema):
    unread: int = Field(description="How many of yours stay unread.")


@router.get(
    "",
    response={200: list[NotificationOut], 401: ErrorOut, 422: ErrorOut},
    auth=PERSON,
    summary="Your notifications, newest first",
)
@paginate(Pages)
def notification_list(request):
    return Notification.objects.filter(person=request.auth).order_by("-created_at", "-pk")


@router.post(
    "/read",
    response={200: UnreadOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    auth=PERSON,
    summary="Mark some or all of your notifications read",
)
def notifications_read(request, payload: ReadIn | None = None):
    ids = payload.ids if payload is not None else None
    return {"unread": services.notifications_mark_read(person=request.auth, ids=ids)}
