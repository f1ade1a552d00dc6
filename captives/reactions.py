"""What the apps built on the registry do when it changes: they subscribe here, in their
``AppConfig.ready``, and the registry calls them without knowing who they are.

The registry is the ground floor and imports none of the apps above it, yet families follow it:
an inquiry must be matched again when a person is registered or spelled anew. So the services
that change people announce which ones, inside their transaction; a subscriber that acts on
other systems (a Celery task) does so after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

Reaction = Callable[[Collection[int]], None]

_reactions: list[Reaction] = []


def on_registry_change(reaction: Reaction) -> None:
    """Call ``reaction`` with the ids of the people each registry change touches (once, however
    often an app's ``ready`` runs)."""
    if reaction not in _reactions:
        _reactions.append(reaction)


def registry_changed(captive_ids: Collection[int]) -> None:
    """Tell every subscriber that these people were registered, or their names changed."""
    for reaction in _reactions:
        reaction(captive_ids)
