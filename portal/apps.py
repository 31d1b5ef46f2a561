from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Site pages"

    def ready(self):
        from .cache import connect_invalidation
        from .groups import sync_groups
        from .site_search.documents import connect_signals

        connect_invalidation()
        connect_signals()

        # Permissions only exist after migrate, so the groups are synced then.
        post_migrate.connect(sync_groups, dispatch_uid="portal.sync_groups")
