"""`microsolidarity delete_due_accounts`: carry out deletions whose grace period is over."""

from django.core.management.base import BaseCommand

from microsolidarity.rights.deletion import deletions_carry_out


class Command(BaseCommand):
    help = "Delete the accounts whose deletion grace period is over (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        reports = deletions_carry_out()
        for report in reports:
            self.stdout.write(
                f"Deleted account {report.person_id}: {report.rsvps_freed} seats freed "
                f"({report.promoted} promoted from waitlists), {report.memberships_ended} "
                f"memberships ended, {report.journal_entries} journal entries removed."
            )
        self.stdout.write(f"{len(reports)} account(s) deleted.")
