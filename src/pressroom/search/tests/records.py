"""Writing small releases through the record's own writer, for tests."""

from datetime import datetime

from pressroom.releases.pibtext import IST, ParsedRelease, ParsedVersion
from pressroom.releases.store import RecordWriter


def make_release(release_id=7000001, title="Kazakhstan and India agree", body="Defence ties.",
                 ministry="Ministry of Defence", posted=None, languages=("English",), pib_ids=None):
    versions = [ParsedVersion(language=lang, title=f"{title} ({lang})" if i else title,
                              paragraphs=[body], sign_off="SRR/DK",
                              pib_id=(pib_ids or {}).get(lang))
                for i, lang in enumerate(languages)]
    parsed = ParsedRelease(release_id=release_id, ministry=ministry, bureau="PIB Delhi",
                           posted_at=posted or datetime(2018, 10, 4, 17, 19, tzinfo=IST),
                           versions=versions)
    writer = RecordWriter()
    return writer.write([(parsed, writer.check(parsed))])[0]
