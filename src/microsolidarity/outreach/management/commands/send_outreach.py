"""Send what outreach has due: digests, webhook retries, newsletter batches left by a stopped
worker. Run from cron every few minutes, or with --every."""

from microsolidarity.outreach import digest, newsletter, webhooks
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Send due digests, retry due webhooks and resume newsletter sends that stopped."

    def run_once(self) -> str:
        resumed = 0
        for issue_id in newsletter.issues_resume():
            while newsletter.issue_pending(issue_id):
                if not newsletter.issue_batch(issue_id=issue_id):
                    break
                resumed += 1
        tried = webhooks.deliveries_send_due()
        digests = digest.digests_send_due()
        return (
            f"{digests} digests sent, {tried} webhook deliveries tried, {resumed} batches resumed"
        )
