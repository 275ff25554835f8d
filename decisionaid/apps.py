from django.apps import AppConfig


class DecisionaidConfig(AppConfig):
    name = "decisionaid"
    verbose_name = "Patient visits"
