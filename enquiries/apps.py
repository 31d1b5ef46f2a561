from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Enquiries"

    def ready(self):
        from .kept_counts import connect_signals

        connect_signals()
