"""Background tasks of outreach: each takes ids and only calls a function of the app."""

from django.tasks import task

from microsolidarity.outreach import chat, newsletter, webhooks


@task
def issue_batch_send(issue_id: int) -> int:
    """One batch; queues the next while rows are left. Rerunning it sends nobody twice."""
    sent = newsletter.issue_batch(issue_id=issue_id)
    if newsletter.issue_pending(issue_id):
        issue_batch_send.enqueue(issue_id)
    return sent


@task
def confirmation_send(subscription_id: int) -> bool:
    return newsletter.confirmation_send(subscription_id=subscription_id)


@task
def webhook_deliver(delivery_id: int) -> str:
    delivery = webhooks.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not due"


@task
def chat_post_send(post_id: int) -> str:
    post = chat.chat_post_deliver(post_id=post_id)
    return post.status if post is not None else "already handled"
