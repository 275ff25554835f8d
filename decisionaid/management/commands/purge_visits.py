from django.core.management.base import BaseCommand

from decisionaid.models import Answer, Visit


class Command(BaseCommand):
    help = (
        "Delete visits past their expiry date (DECISIONAID_RETENTION_DAYS after they started), "
        "with their answers. Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        _, deleted = Visit.objects.expired().delete()
        visits = deleted.get(Visit._meta.label, 0)
        answers = deleted.get(Answer._meta.label, 0)
        self.stdout.write(
            f"Deleted {visits} expired visit{'s' if visits != 1 else ''} "
            f"and {answers} answer{'s' if answers != 1 else ''}."
        )
