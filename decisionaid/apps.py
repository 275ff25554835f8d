from django.apps import AppConfig


class DecisionaidConfig(AppConfig):
    name = "decisionaid"
    verbose_name = "Patient visits"

    def ready(self):
        from django.db.models.signals import post_migrate

        from decisionaid.roles import ensure_staff_groups

        # Sent after the auth and topics apps have created their permissions.
        post_migrate.connect(ensure_staff_groups, sender=self)
