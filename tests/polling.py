"""Waiting in tests: poll a condition until it holds, and fail if a deadline passes first."""

import time


def wait_for(condition, what, timeout=60):
    """Return the first true value of `condition()`; fail naming `what` after `timeout` seconds.

    The deadline only bounds a broken run: a test never depends on how long the wait took.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout} seconds")
        time.sleep(0.05)
