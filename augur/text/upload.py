"""What the page says about an upload it will not send."""

from __future__ import annotations

__all__ = ["upload_too_large_text"]


def upload_too_large_text(limit_mb: float, file_limit_mb: float) -> str:
    """What the page says beside the upload when the files chosen would pass the server's request
    limit, with ``{files}`` and ``{size}`` (MB) left for the page to fill in: the browser measures
    the files before it sends them (base64 makes a file a third larger on the way).

    >>> upload_too_large_text(20, 14.8).format(files="big.xlsx", size="16.0")[:53]
    'big.xlsx is 16.0 MB: file too large (limit 14.8 MB, t'
    """
    return (
        f"{{files}} is {{size}} MB: file too large (limit {file_limit_mb:g} MB, the server's "
        f"{limit_mb:g} MB once encoded for sending). Restart augur serve with a larger "
        "--max-upload-mb to take it."
    )
