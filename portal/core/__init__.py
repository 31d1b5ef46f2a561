"""Machinery the apps share: publishing, Markdown, content loading and formatting."""
