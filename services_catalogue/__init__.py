"""The services catalogue: the local and national services the assistant signposts people to."""

from . import (
    publication,  # noqa: F401  registers the rule that unverified details are never published
    revision,  # noqa: F401  registers the counter that tells readers the catalogue changed
)
