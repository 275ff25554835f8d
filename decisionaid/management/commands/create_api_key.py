import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from decisionaid.models import ApiKey


class Command(BaseCommand):
    help = (
        "Create a key for the read-only FHIR API and print it. The key is shown only this once "
        "(only its hash is stored), alone on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='Who uses the key, e.g. "EHR integration".')
        parser.add_argument(
            "--expires-in-days", type=int, help="The key stops working after this many days."
        )

    def handle(self, *args, name, expires_in_days, **options):
        api_key = ApiKey(name=name.strip())
        if expires_in_days is not None:
            if expires_in_days < 1:
                raise CommandError("--expires-in-days must be 1 or more.")
            api_key.expires_at = timezone.now() + datetime.timedelta(days=expires_in_days)
        key = api_key.set_new_key()
        try:
            api_key.full_clean()
        except ValidationError as exc:
            raise CommandError(
                "; ".join(m for ms in exc.message_dict.values() for m in ms)
            ) from exc
        api_key.save()
        self.stdout.write(
            f'Created the API key "{api_key.name}". Copy it now: it is not stored and cannot be '
            "shown again."
        )
        self.stdout.write(key)
