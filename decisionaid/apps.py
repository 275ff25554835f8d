from django.apps import AppConfig


class DecisionaidConfig(AppConfig):
    name = "decisionaid"
    verbose_name = "Patient visits"

    def ready(self):
        from decisionaid import staff_sessions  # noqa: F401  (connects its signal receiver)
