"""The resource library: topics, publishers and resources, the finder, search, feeds and files.

Part of the guides app (its models are the app's, exposed by guides/models/), kept apart from
the guide's own stages, tasks and progress. The library reads the guide's stages; the guide
reads only the library's models.
"""
