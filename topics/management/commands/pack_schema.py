from django.core.management.base import BaseCommand

from topics.packs import CONTENT_DIR
from topics.schema_doc import schema_markdown


class Command(BaseCommand):
    help = "Write topics/content/SCHEMA.md from the content pack's declaration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="Print it; write no file."
        )

    def handle(self, *args, print_only, **options):
        text = schema_markdown()
        if print_only:
            self.stdout.write(text, ending="")
            return
        (CONTENT_DIR / "SCHEMA.md").write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {CONTENT_DIR / 'SCHEMA.md'}")
