"""Machinery the apps share: publishing, Markdown, content loading, formatting and lists
filtered from the query string."""
