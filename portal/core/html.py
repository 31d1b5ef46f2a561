"""HTML for template tags that build many rows: the finder's and the site search's results and
their filters escape hundreds of values on every page.
"""

import html


def escaped(value):
    """`value` as conditional_escape() gives it (safe HTML as it is, anything else escaped),
    without the check for lazy text each escape() and format_html() make, which cost more than
    the escaping. Join the pieces with str.format() and mark the whole safe.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
