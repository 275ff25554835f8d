from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from topics import loader, packs


class Command(BaseCommand):
    help = (
        "Validate the topic content packs in topics/content/ (or the files given) and load them. "
        "Idempotent: topics are matched by slug, and unchanged packs are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Pack files. Default: every shipped pack.")
        parser.add_argument(
            "--check", action="store_true", help="Validate only; write nothing to the database."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite topics that an editor has changed in the admin since the last load.",
        )

    def handle(self, *args, paths, check, force, **options):
        files = [Path(p) for p in paths] or packs.shipped_pack_paths()
        if not files:
            raise CommandError(f"No content packs found in {packs.CONTENT_DIR}.")
        errors = []
        for path in files:
            try:
                result = loader.load_pack_file(path, check=check, force=force)
            except packs.PackError as exc:
                errors.extend(exc.errors)
                continue
            style = self.style.WARNING if result.action == "skipped" else self.style.SUCCESS
            self.stdout.write(style(str(result)))
        if errors:
            for error in errors:
                self.stderr.write(self.style.ERROR(error))
            raise CommandError(
                f"{len(errors)} problem(s) found; nothing was loaded from those files."
            )
