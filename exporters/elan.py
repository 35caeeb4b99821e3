"""ELAN annotation files (EAF): the names Critique's reader and writer agree on.

Writing gives each Critique tier an ELAN tier (its own linguistic type and parent when it came
from ELAN), with two dependent tiers: the note, and a record (JSON) of what ELAN has no field
for (uuid, tags, status, regions), so Critique reads its own EAF back without loss. The writer
is exporters/elan_writer.py, the reader exporters/elan_reader.py; both meet here.
"""

from __future__ import annotations

# the linguistic types of the tiers Critique writes, and the names of a tier's two dependants
CATEGORY_TYPE = "critique-category"
TEXT_TYPE = "critique-text"
NOTE_SUFFIX = " · note"
RECORD_SUFFIX = " · critique"
# the constraints of tiers whose annotations have no times of their own (they hang from a
# parent annotation): ELAN writes them as REF_ANNOTATIONs
SYMBOLIC = ("Symbolic_Association", "Symbolic_Subdivision")
