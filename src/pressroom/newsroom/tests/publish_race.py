"""Officers publishing at the same moment, in threads; prints the Release IDs they got.

Run against any database: ``DATABASE_URL=... python -m pressroom.newsroom.tests.publish_race N``
(test_release_ids runs it on PostgreSQL). Expects a migrated, empty database.
"""

import json
import os
import sys
import threading
from datetime import UTC, datetime


def main(n: int, rounds: int = 5) -> dict:
    """n officers (threads) each publish ``rounds`` drafts, starting together."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from pressroom.newsroom import workflow
    from pressroom.newsroom.models import Draft, Officer
    from pressroom.releases import store
    from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release

    ministry = Ministry.objects.create(name="Ministry of Defence")
    bureau = Bureau.objects.create(name="PIB Delhi")
    # An imported release: new IDs must come above it.
    imported = Release.objects.create(
        release_id=1548606, ministry=ministry, bureau=bureau, original_language_id="en",
        posted_at=datetime(2018, 10, 4, 11, 49, tzinfo=UTC))
    LanguageVersion.objects.create(release=imported, language_id="en", is_original=True,
                                   updated_at=imported.posted_at,
                                   **store.content_fields(title="Imported", body_html="<p>x</p>"))
    user = get_user_model().objects.create_user("press")
    Officer.objects.create(user=user, role=Officer.Role.PRESS, all_ministries=True)
    drafts = [Draft.objects.create(ministry=ministry, bureau=bureau, title=f"Release {i}",
                                   body_html="<p>Body</p>", state=Draft.State.APPROVED).pk
              for i in range(n * rounds)]
    barrier = threading.Barrier(n)
    errors = []

    def publish(pks):
        try:
            barrier.wait()
            for pk in pks:
                workflow.transition(user, pk, "publish")
        except Exception as e:  # noqa: BLE001 - reported to the caller
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(drafts[i::n],)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = sorted(Draft.objects.filter(pk__in=drafts).exclude(release=None)
                 .values_list("release_id", flat=True))
    return {"vendor": connection.vendor, "ids": ids, "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)))
