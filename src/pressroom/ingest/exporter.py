"""What `pressroom export` writes, from the record. The formats themselves (PIB text, the
JSONL schema) are releases.representations, which every reader uses; this names them for
the export command and its tests."""

from pressroom.releases.queries import releases_with_versions as releases  # noqa: F401
from pressroom.releases.representations import (  # noqa: F401
    bundle_files,
    jsonl_lines,
    jsonl_records,
    pib_text,
    to_parsed,
)
