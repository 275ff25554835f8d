from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = "Topics (clinical content)"

    def ready(self):
        from django.db.models.signals import post_migrate

        from topics.loader import load_shipped_packs_after_migrate

        post_migrate.connect(load_shipped_packs_after_migrate, sender=self)
