"""Remove what looks like an email address or a UK phone number from a visitor's text."""

import re

REMOVED = "[removed]"

EMAIL = re.compile(r"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[^\s@<>()\[\]]*[^\s@<>()\[\].,;:!?'\"]")
# +44 or 0044 or a leading 0, then 9 or 10 more digits, with spaces, dots, hyphens or
# brackets between them: 07700 900123, (020) 7946 0018, +44 (0)161 496 0000, 0161-496-0000.
UK_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s*44[\s.-]*(?:\(0\)[\s.-]*)?|\(?0)(?:[\s.()-]*\d){9,10}(?!\d)"
)


def remove_personal_data(text):
    """The text with each email address and UK phone number replaced by '[removed]'."""
    return UK_PHONE.sub(REMOVED, EMAIL.sub(REMOVED, text))
