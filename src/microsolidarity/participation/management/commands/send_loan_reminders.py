"""Remind borrowers of books due in two days or overdue; run daily from cron, or with --every."""

from microsolidarity.participation.bookshelf import loan_reminders_send
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Email borrowers whose book is due in two days or overdue (the borrower only, once)."

    def run_once(self) -> str:
        return f"{loan_reminders_send()} loan reminders sent"
