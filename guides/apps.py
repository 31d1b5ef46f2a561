from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "How to set up a mutual"

    def ready(self):
        from .library import search_index

        search_index.connect_signals()
