"""Static files: hashed, compressed names, with JavaScript module imports rewritten too."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, also rewriting `import ... from "./x.js"` to the hashed name.

    The site's entry module imports GOV.UK Frontend; without this the import would name the
    unhashed file, which browsers may only cache briefly.
    """

    support_js_module_import_aggregation = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_urls, self.kept_urls_manifest = {}, None

    def url(self, name, force=False):
        """The file's address, kept for each name while the manifest is the same: the layout
        asks for seven on every page, and each took longer to work out than to render.
        """
        if settings.DEBUG or force:
            return super().url(name, force)
        if self.kept_urls_manifest is not self.hashed_files:
            self.kept_urls, self.kept_urls_manifest = {}, self.hashed_files
        url = self.kept_urls.get(name)
        if url is None:
            url = self.kept_urls[name] = super().url(name)
        return url
