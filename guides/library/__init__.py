"""The resource library: topics, publishers and resources, the finder, search, feeds and files.

Part of the guides app (its models are the app's, exposed by guides/models/), kept apart from
the guide's own stages, tasks and progress. The library reads the guide's stages; the guide's
pages read only the library's models; the app's URLs, admin, sitemaps and scheduled task take
in the library's.
"""
