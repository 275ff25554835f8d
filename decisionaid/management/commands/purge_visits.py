from django.core.management.base import BaseCommand

from decisionaid.services import purge_access_log, purge_expired_visits


class Command(BaseCommand):
    help = (
        "Delete visits past their expiry date (DECISIONAID_RETENTION_DAYS after they started), "
        "with their answers, and sheet access records older than DECISIONAID_ACCESS_LOG_DAYS. The "
        "daily tallies behind the clinic insights are kept. Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        visits, answers = purge_expired_visits()
        accesses = purge_access_log()
        self.stdout.write(
            f"Deleted {visits} expired visit{'s' if visits != 1 else ''} "
            f"and {answers} answer{'s' if answers != 1 else ''}, "
            f"and {accesses} sheet access record{'s' if accesses != 1 else ''}."
        )
