"""Numbers written as GOV.UK pages write them."""

KB = 1024
MB = KB * 1024
GB = MB * 1024


def readable_file_size(size):
    """A size in bytes as GOV.UK writes it by a download: '980 bytes', '48 KB', '1.2 MB'."""
    if size < KB:
        return f"{size} bytes"
    if size < MB:
        return f"{round(size / KB)} KB"
    if size < GB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    return f"{size / GB:.1f}".removesuffix(".0") + " GB"
