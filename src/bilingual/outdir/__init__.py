"""Output folders a user can trust.

- :mod:`.manifest`: which texts a folder holds, under names that never collide, so that
  ``index.html`` and ``memory.tmx`` describe all of them, build after build.
- :mod:`.publish`: one build at a time writes into a folder, and a build's files appear
  together or not at all, even when it is killed.
"""

from __future__ import annotations

from .manifest import FOLDER_FILES, INDEX_NAME, MANIFEST_NAME, MEMORY_NAME, Manifest
from .publish import OutputFolder, fault_point, refuse_to_overwrite_inputs

__all__ = [
    "FOLDER_FILES",
    "INDEX_NAME",
    "MANIFEST_NAME",
    "MEMORY_NAME",
    "Manifest",
    "OutputFolder",
    "fault_point",
    "refuse_to_overwrite_inputs",
]
