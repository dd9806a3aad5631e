"""Publishing from the newsroom: time per publication, alone and with officers publishing at
the same moment (the Release ID lock), on a fresh database.

    DATABASE_URL=... .venv/bin/python bench/newsroom_publish.py [N]

Without DATABASE_URL it uses a temporary SQLite file. Prints medians and the ratio of the
concurrent median to the serial one, measured in the same run.
"""

import os
import statistics
import sys
import tempfile
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
THREADS = 4
TEMP = None
if "PRESSROOM_DATA" not in os.environ:
    TEMP = tempfile.TemporaryDirectory(prefix="pressroom-bench-")
    os.environ["PRESSROOM_DATA"] = TEMP.name
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")

import django  # noqa: E402

django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from pressroom.newsroom import workflow  # noqa: E402
from pressroom.newsroom.models import Draft, Officer  # noqa: E402
from pressroom.releases.models import Bureau, Ministry, Release  # noqa: E402

call_command("migrate", verbosity=0)
if Release.objects.exists():
    sys.exit("use an empty database")
ministry = Ministry.objects.create(name="Ministry of Defence")
bureau = Bureau.objects.create(name="PIB Delhi")
user = get_user_model().objects.create_user("bench-press")
Officer.objects.create(user=user, role=Officer.Role.PRESS, all_ministries=True)
body = "".join(f"<p>Paragraph {i} of a typical release, about forty words long.</p>"
               for i in range(8))
drafts = [Draft.objects.create(ministry=ministry, bureau=bureau, title=f"Release {i}",
                               body_html=body, state=Draft.State.APPROVED).pk
          for i in range(2 * N)]


def publish(pks, timings):
    for pk in pks:
        start = time.perf_counter()
        workflow.transition(user, pk, "publish")
        timings.append(time.perf_counter() - start)
    connection.close()


serial = []
publish(drafts[:N], serial)
concurrent = []
rest = drafts[N:]
threads = [threading.Thread(target=publish, args=(rest[i::THREADS], concurrent))
           for i in range(THREADS)]
wall = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - wall
ids = list(Release.objects.values_list("release_id", flat=True))
assert len(ids) == len(set(ids)) == 2 * N, "duplicate or missing Release IDs"
s, c = statistics.median(serial) * 1000, statistics.median(concurrent) * 1000
print(f"database {connection.vendor}, {N} publications each way")
print(f"serial:     median {s:.1f} ms per publication")
print(f"{THREADS} threads:  median {c:.1f} ms per publication, {N / wall:.0f} publications/s overall")
print(f"ratio concurrent/serial median: {c / s:.2f}; {len(ids)} distinct Release IDs")
connection.close()
if TEMP is not None:
    TEMP.cleanup()
