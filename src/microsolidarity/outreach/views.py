"""Pages of outreach: they parse input, call a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.groups.models import Group
from microsolidarity.outreach import chat, digest, newsletter, payloads, segments, tasks, webhooks
from microsolidarity.outreach.forms import (
    ChatRuleForm,
    DigestForm,
    IssueForm,
    SubscribeForm,
    WebhookForm,
)
from microsolidarity.outreach.models import (
    ChatRule,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
    IssueStatus,
    NewsletterIssue,
    Subscription,
    SubscriptionState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from microsolidarity.outreach.rendering import markdown_html
from microsolidarity.pages import Done, domain_errors_on, post_action
from microsolidarity.ratelimits import TooManyRequests, limit_consume, too_many_requests_response
from microsolidarity.zones import person_zone

DELIVERY_LOG_LENGTH = 50
# Recipients a host may want to look at after a send: mail that did not, or may not, arrive.
ATTENTION = (DeliveryStatus.BOUNCED, DeliveryStatus.FAILED, DeliveryStatus.UNCONFIRMED)
ATTENTION_SHOWN = 200


def _hosted(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not newsletter.has_newsletter(group) or not webhooks.can_manage_webhooks(
        request.user, group
    ):
        raise Http404
    return group


# Subscribing, confirming, unsubscribing: no account needed.


def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not newsletter.can_subscribe(request.user, group):
        raise Http404
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            try:
                limit_consume("newsletter_subscribe", request=request, person=request.user)
            except TooManyRequests as refusal:
                return too_many_requests_response(request, refusal.retry_after)
            result = newsletter.subscription_request(
                group=group, email=form.cleaned_data["email"], person=request.user
            )
            if result.confirmed_now:
                messages.success(request, _("You are subscribed. Thank you!"))
            else:
                messages.success(
                    request,
                    _(
                        "Almost done: if this address is not subscribed yet, a mail with a "
                        "confirm button is on its way to it. Nothing is sent before you press it."
                    ),
                )
            return redirect("newsletter_subscribe", group.slug)
    return render(request, "outreach/subscribe.html", {"group": group, "form": form})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = newsletter.subscription_by_token(token)
    if subscription is None:
        return render(request, "outreach/link_invalid.html", status=404)
    if request.method == "POST":
        try:
            newsletter.subscription_confirm(token=token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Confirmed: you will receive the next issue."))
        return redirect("newsletter_confirm", token)
    return render(request, "outreach/confirm.html", {"subscription": subscription})


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: a mail client's one-click POST carries no cookie and no CSRF token; the
    unguessable token in the address is the proof, and unsubscribing is all it can do."""
    subscription = newsletter.subscription_by_token(token)
    if subscription is None:
        return render(request, "outreach/link_invalid.html", status=404)
    if request.method == "POST":
        newsletter.subscription_unsubscribe(token=token)
        subscription.refresh_from_db(fields=["state"])
    return render(request, "outreach/unsubscribe.html", {"subscription": subscription})


# The hosts' outreach page.


@login_required
def outreach_home(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted(request, slug)
    counts = dict(
        Subscription.objects.filter(group=group)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    context = {
        "group": group,
        "counts": [(state.label, counts.get(state.value, 0)) for state in SubscriptionState],
        "issues": NewsletterIssue.objects.filter(group=group)
        .select_related("group")
        .annotate(recipients=Count("deliveries"))[:50],
        "rules": ChatRule.objects.filter(group=group),
        "endpoints": WebhookEndpoint.objects.filter(group=group),
        "outward": payloads.group_is_outward(group),
        "subscribe_url": request.build_absolute_uri(
            reverse("newsletter_subscribe", args=[group.slug])
        ),
    }
    return render(request, "outreach/home.html", context)


@login_required
def issue_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted(request, slug)
    form = IssueForm(request.POST or None, segments=segments.segments_for(group))
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            issue = newsletter.issue_create(by=request.user, group=group, **form.cleaned_data)
            return redirect(issue.get_absolute_url())
    return render(request, "outreach/issue_new.html", {"group": group, "form": form})


def _issue(request: HttpRequest, slug: str, pk: int) -> NewsletterIssue:
    group = _hosted(request, slug)
    return get_object_or_404(NewsletterIssue.objects.select_related("group"), pk=pk, group=group)


@login_required
def issue_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    issue = _issue(request, slug, pk)
    form = None
    if issue.status == IssueStatus.DRAFT:
        form = IssueForm(
            request.POST or None,
            segments=segments.segments_for(issue.group),
            initial={"subject": issue.subject, "body": issue.body, "segment": issue.segment},
        )
        if request.method == "POST" and form.is_valid():
            with domain_errors_on(form):
                newsletter.issue_update(by=request.user, issue=issue, **form.cleaned_data)
                messages.success(request, _("Saved. Check the preview below before sending."))
                return redirect(issue.get_absolute_url())
    elif request.method == "POST":
        return HttpResponse(status=405)
    context = {
        "group": issue.group,
        "issue": issue,
        "form": form,
        "preview": markdown_html(issue.body),
        "recipient_count": segments.recipient_count(issue.group, issue.segment),
        "progress": newsletter.issue_progress(issue),
        "attention": issue.deliveries.filter(status__in=ATTENTION).order_by("pk")[:ATTENTION_SHOWN],
    }
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "outreach/issue_detail.html#progress", context)
    return render(request, "outreach/issue_detail.html", context)


@post_action(_issue)
def issue_send(request: HttpRequest, issue: NewsletterIssue) -> Done | str:
    if issue.status == IssueStatus.SENDING:
        tasks.issue_batch_send.enqueue(issue.pk)
        return Done(
            _("Sending resumes: nobody who has it already gets it again."), level=messages.INFO
        )
    expected = request.POST.get("expected_count", "")
    count = newsletter.issue_send(
        by=request.user,
        issue=issue,
        expected_count=int(expected) if expected.isdigit() else None,
    )
    return _("Sending to %(count)s people. Progress is shown below.") % {"count": count}


@post_action(_issue)
def issue_delete(request: HttpRequest, issue: NewsletterIssue) -> Done:
    newsletter.issue_delete(by=request.user, issue=issue)
    return Done(_("The draft is deleted."), to=reverse("outreach_home", args=[issue.group.slug]))


# Chat channels.


@login_required
def chat_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted(request, slug)
    form = ChatRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            chat.chat_rule_create(by=request.user, group=group, **form.cleaned_data)
            messages.success(request, _("Connected. Send a test message to check that it arrives."))
            return redirect("outreach_home", group.slug)
    return render(request, "outreach/chat_new.html", {"group": group, "form": form})


def _rule(request: HttpRequest, slug: str, pk: int) -> ChatRule:
    group = _hosted(request, slug)
    return get_object_or_404(ChatRule.objects.select_related("group"), pk=pk, group=group)


@login_required
@require_POST
def chat_test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    rule = _rule(request, slug, pk)
    outcome = chat.chat_rule_test(by=request.user, rule=rule)
    (messages.success if outcome.ok else messages.error)(
        request,
        _("Test message to %(name)s: %(result)s")
        % {"name": rule.name, "result": outcome.describe()},
    )
    return redirect("outreach_home", slug)


@login_required
@require_POST
def chat_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    rule = _rule(request, slug, pk)
    chat.chat_rule_delete(by=request.user, rule=rule)
    messages.success(request, _("Disconnected: nothing more is posted there."))
    return redirect("outreach_home", slug)


# Webhooks: a group's (its hosts) or the site's (operators).


def _scope(request: HttpRequest, slug: str | None) -> Group | None:
    if slug is None:
        if not getattr(request.user, "is_staff", False):
            raise PermissionDenied
        return None
    return _hosted(request, slug)


def _webhook_back(group: Group | None) -> str:
    return reverse("outreach_home", args=[group.slug]) if group else reverse("site_webhooks")


@login_required
def webhook_new(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    group = _scope(request, slug)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            endpoint = webhooks.endpoint_create(by=request.user, group=group, **form.cleaned_data)
            messages.success(request, _("Added. Its signing secret is below."))
            return redirect(_endpoint_url(endpoint))
    endpoints = WebhookEndpoint.objects.filter(group=group) if group is None else None
    return render(
        request,
        "outreach/webhook_new.html",
        {"group": group, "form": form, "endpoints": endpoints, "back": _webhook_back(group)},
    )


def _endpoint_url(endpoint: WebhookEndpoint) -> str:
    if endpoint.group_id is None:
        return reverse("site_webhook_detail", args=[endpoint.pk])
    return reverse("webhook_detail", args=[endpoint.group.slug, endpoint.pk])


def _endpoint(request: HttpRequest, slug: str | None, pk: int) -> WebhookEndpoint:
    group = _scope(request, slug)
    return get_object_or_404(WebhookEndpoint.objects.select_related("group"), pk=pk, group=group)


@login_required
def webhook_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("log", queryset=WebhookAttempt.objects.order_by("attempted_at")))
        .order_by("-pk")[:DELIVERY_LOG_LENGTH]
    )
    return render(
        request,
        "outreach/webhook_detail.html",
        {
            "group": endpoint.group,
            "endpoint": endpoint,
            "deliveries": deliveries,
            "back": _webhook_back(endpoint.group),
            "labels": [
                label
                for event, label in WebhookForm.base_fields["event_types"].choices
                if event in endpoint.event_types
            ],
        },
    )


@login_required
@require_POST
def webhook_test(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    delivery = webhooks.endpoint_test(by=request.user, endpoint=endpoint)
    delivery.refresh_from_db()
    attempt = delivery.log.order_by("-pk").first()
    if delivery.status == "sent":
        messages.success(
            request, _("Test delivered (HTTP %(code)s).") % {"code": attempt.status_code}
        )
    else:
        detail = (
            _("HTTP %(code)s") % {"code": attempt.status_code}
            if attempt and attempt.status_code
            else (attempt.error if attempt else _("not sent"))
        )
        messages.error(request, _("The test was not delivered: %(detail)s.") % {"detail": detail})
    return redirect(_endpoint_url(endpoint))


@login_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    back = _webhook_back(endpoint.group)
    webhooks.endpoint_delete(by=request.user, endpoint=endpoint)
    messages.success(request, _("Removed: no more events go there."))
    return redirect(back)


# A person's digest.


@login_required
def digest_settings(request: HttpRequest) -> HttpResponse:
    preference = DigestPreference.objects.filter(person=request.user).first()
    initial = {
        "frequency": preference.frequency if preference else DigestFrequency.OFF,
        "gatherings": preference.include_gatherings if preference else True,
        "calls": preference.include_calls if preference else True,
        "crew_calls": preference.include_crew_calls if preference else True,
    }
    form = DigestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        digest.digest_set(person=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("digest_settings")
    return render(
        request,
        "outreach/digest_settings.html",
        {
            "form": form,
            "preview": digest.digest_preview(person=request.user),
            "zone": person_zone(request.user).key,
        },
    )


@csrf_exempt
def digest_off(request: HttpRequest, token: str) -> HttpResponse:
    """One-click off from the digest mail (RFC 8058), signed for one person; nothing else."""
    person_id = digest.off_token_person(token)
    if person_id is None:
        return render(request, "outreach/link_invalid.html", status=404)
    done = False
    if request.method == "POST":
        digest.digest_turn_off(person_id=person_id)
        done = True
    return render(request, "outreach/digest_off.html", {"done": done})
