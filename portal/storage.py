"""Static files: hashed, compressed names, with JavaScript module imports rewritten too."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, also rewriting `import ... from "./x.js"` to the hashed name.

    The site's entry module imports GOV.UK Frontend; without this the import would name the
    unhashed file, which browsers may only cache briefly.
    """

    support_js_module_import_aggregation = True
