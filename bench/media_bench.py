"""Photos and PDFs: what an upload costs, what readers download, how fast PDFs come.

    .venv/bin/python bench/media_bench.py            # 200 photos of 4000x3000
    .venv/bin/python bench/media_bench.py --n 3      # tiny, seconds (CI)

In a fresh data folder (var/bench-media/, SQLite, the sample archive imported):

1. Generates N camera-size JPEGs (4000x3000, noise over gradients, EXIF with GPS) and
   stores each through ``store.store_file`` (the newsroom's upload path: type check, pixel
   limit, every size in every format, originals kept). Baseline in the same run: Pillow
   decoding the photo and saving one JPEG (the least any re-encoding costs).
2. Bytes: the original against the full-size clean JPEG and against what a phone fetches
   (the size ``srcset`` picks at 412 CSS px x 2.625 DPR in the best format it has).
3. The first view of a release page with six photos at phone width, in bytes: the HTML, the
   stylesheet, fonts, script and the one eager photo (the others are lazy, below the fold).
   tests/browser measures the same in Chromium.
4. PDF of the sample release in English, Hindi and Urdu: first render of a revision (in a
   warm process), and served from storage (cached). Baseline: WeasyPrint on a one-line page.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SAMPLE_ID = 1610907
PHONE_PX = 412 * 2.625


def setup(data_dir: Path):
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    os.environ["PRESSROOM_DATA"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    os.environ["PRESSROOM_REQUEST_LOG"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No collectstatic here: plain static files, as the tests use.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    call_command("migrate", verbosity=0)
    call_command("import", str(ROOT / "sample"), verbosity=0)


def camera_jpeg(seed: int, size=(4000, 3000)) -> bytes:
    from PIL import Image

    w, h = size
    base = Image.linear_gradient("L").resize((w, h)).rotate(seed * 37 % 360)
    noise = Image.effect_noise((w, h), 40 + seed % 20)
    img = Image.merge("RGB", (base, Image.blend(base, noise, 0.5), noise))
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"
    exif[0x0132] = "2026:11:30 10:15:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (28.0, 36.0, 50.0), "E", (77.0, 12.0, 33.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def phone_pick(stored):
    """The variant a phone's browser takes from srcset: the best format, first width >= need."""
    for fmt in ("avif", "webp", "jpeg"):
        widths = [v for v in stored.widths(fmt) if not v.get("full")]
        if widths:
            return next((v for v in widths if v["width"] >= PHONE_PX), widths[-1])
    return None


def bench_photos(n: int):
    from PIL import Image

    from pressroom.releases import store

    per_photo, baseline, originals, fulls, phones, stored_all = [], [], [], [], [], []
    for i in range(n):
        data = camera_jpeg(i)
        t = time.perf_counter()
        img = Image.open(io.BytesIO(data))
        img.load()
        img.save(io.BytesIO(), "JPEG", quality=80)
        baseline.append(time.perf_counter() - t)
        t = time.perf_counter()
        stored = store.store_file(data, f"photo-{i}.jpg")
        per_photo.append(time.perf_counter() - t)
        originals.append(len(data))
        fulls.append(next(v["bytes"] for v in stored.variants if v.get("full")))
        phones.append(phone_pick(stored)["bytes"])
        stored_all.append(stored)
        if n >= 20 and (i + 1) % 20 == 0:
            print(f"  {i + 1}/{n} photos, median {median(per_photo):.2f} s", flush=True)
    return per_photo, baseline, originals, fulls, phones, stored_all


def page_bytes(stored_all):
    """Transfer of a phone's first view of a release page with six photos."""
    from django.contrib.staticfiles import finders
    from django.test import Client

    from pressroom.releases import store
    from pressroom.releases.models import LanguageVersion

    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    six = (stored_all * 6)[:6]
    store.set_media(english, photos=[store.PhotoSpec(f, f"Photo {i}", f"Caption {i}", "PIB")
                                     for i, f in enumerate(six)], attachments=[], note="bench")
    html = Client(HTTP_USER_AGENT="Mozilla/5.0 bench").get(f"/release/{SAMPLE_ID}/").content
    static = sum(Path(finders.find(p)).stat().st_size for p in (
        "website/site.css", "website/fonts/fonts.css", "website/lightbox.js",
        "website/fonts/noto-sans-latin-wght-normal.woff2"))
    eager = phone_pick(six[0])["bytes"]
    return len(html), static, eager


def bench_pdfs(rounds: int):
    import weasyprint

    from pressroom.releases.models import LanguageVersion
    from pressroom.website import pdf

    t = time.perf_counter()
    weasyprint.HTML(string="<p>Hello</p>").write_pdf()
    warmup = time.perf_counter() - t
    base = []
    for _ in range(rounds):
        t = time.perf_counter()
        weasyprint.HTML(string="<p>Hello</p>").write_pdf()
        base.append(time.perf_counter() - t)
    results = {}
    url_for = "http://127.0.0.1:8000{}".format
    for lang in ("en", "hi", "ur"):
        first, cached, process_first = [], [], None
        for r in range(rounds):
            # A new revision each round: its PDF is not there yet.
            LanguageVersion.objects.filter(release_id=SAMPLE_ID, language_id=lang).update(
                revision=1000 + r)
            t = time.perf_counter()
            data, _ = pdf.pdf_for(SAMPLE_ID, lang, url_for)
            took = time.perf_counter() - t
            if process_first is None:
                process_first = took
            else:
                first.append(took)
            for _ in range(5):
                t = time.perf_counter()
                pdf.pdf_for(SAMPLE_ID, lang, url_for)
                cached.append(time.perf_counter() - t)
        results[lang] = (process_first, first, cached, len(data))
    return warmup, base, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="photos (default 200)")
    parser.add_argument("--pdf-rounds", type=int, default=None, help="PDF renders per language")
    parser.add_argument("--data", default=str(ROOT / "var" / "bench-media"))
    args = parser.parse_args()
    setup(Path(args.data))
    rounds = args.pdf_rounds or (3 if args.n < 20 else 6)

    print(f"photos: {args.n} generated 4000x3000 JPEGs, every size and format")
    per_photo, baseline, originals, fulls, phones, stored_all = bench_photos(args.n)
    from pressroom.releases import mediafiles

    print(f"  formats {', '.join(mediafiles.FORMATS)}; widths {mediafiles.WIDTHS} + full")
    print(f"  seconds per photo, all variants: median {median(per_photo):.2f}, "
          f"max {max(per_photo):.2f}")
    print(f"  baseline (decode + one JPEG save): median {median(baseline):.2f} s; "
          f"ratio {median(per_photo) / median(baseline):.1f}x")
    print(f"  original median {median(originals) / 1e6:.2f} MB; full-size clean JPEG "
          f"{median(fulls) / 1e6:.2f} MB ({100 * (1 - median(fulls) / median(originals)):.0f}% "
          f"saved); phone's pick {median(phones) / 1e3:.0f} KB "
          f"({100 * (1 - median(phones) / median(originals)):.1f}% saved)")
    html, static, eager = page_bytes(stored_all)
    total = html + static + eager
    print(f"page with six photos, phone first view: HTML {html / 1e3:.0f} KB + CSS/fonts/JS "
          f"{static / 1e3:.0f} KB + eager photo {eager / 1e3:.0f} KB = {total / 1e3:.0f} KB "
          f"(uncompressed; aim <= 500 KB)")
    warmup, base, results = bench_pdfs(rounds)
    print(f"PDF: WeasyPrint one-line page {median(base) * 1000:.0f} ms (process's first "
          f"{warmup:.2f} s)")
    for lang, (process_first, first, cached, size) in results.items():
        print(f"  {lang}: first render per revision median {median(first):.2f} s "
              f"(process's very first {process_first:.2f} s), cached median "
              f"{median(cached) * 1000:.1f} ms, {size / 1e3:.0f} KB; "
              f"ratio first/one-line {median(first) / median(base):.1f}x")


if __name__ == "__main__":
    main()
