from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressroom.ingest import exporter
from pressroom.releases.languages import language_code
from pressroom.releases.models import Language, Release


class Command(BaseCommand):
    help = ("Export releases as PIB text (the canonical layout) or Pressroom JSONL. "
            "Without --out, to standard output.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["pib-text", "jsonl"], required=True)
        parser.add_argument("--release-id", type=int, action="append", dest="release_ids",
                            metavar="N", help="only this release (may be repeated)")
        parser.add_argument("--language", help="pib-text of one release: this language version")
        parser.add_argument("--out", type=Path, metavar="PATH",
                            help="a file (jsonl, or pib-text of one release) or, for pib-text of "
                                 "many releases, a folder of bundles <release_id>/<Language>.txt")

    def handle(self, *args, format, release_ids, language, out, **options):
        if release_ids:
            missing = set(release_ids) - set(
                Release.objects.filter(release_id__in=release_ids).values_list("release_id",
                                                                                flat=True))
            if missing:
                raise CommandError(f"no release with Release ID {', '.join(map(str, missing))}")
        if format == "jsonl":
            self._jsonl(release_ids, out)
        elif release_ids and len(release_ids) == 1 and (out is None or not out.is_dir()):
            self._one_text(release_ids[0], language, out)
        else:
            if out is None:
                raise CommandError("pib-text of more than one release needs --out FOLDER "
                                   "(one bundle <release_id>/<Language>.txt per release)")
            self._bundles(release_ids, out)

    def _jsonl(self, release_ids, out):
        stream = out.open("w", encoding="utf-8") if out else None
        try:
            for release in exporter.releases(release_ids):
                if stream:  # the files the lines refer to, beside the file
                    exporter.jsonl_media_files(release, out.parent)
                for line in exporter.jsonl_lines(release):
                    if stream:
                        stream.write(line)
                    else:
                        self.stdout.write(line, ending="")
        finally:
            if stream:
                stream.close()

    def _one_text(self, release_id, language, out):
        release = next(exporter.releases([release_id]))
        name = None
        if language:
            code = language_code(language)
            if code is None:
                raise CommandError(f"unknown language {language!r}")
            name = Language.objects.get(code=code).name
        try:
            text = exporter.pib_text(release, name)
        except KeyError:
            raise CommandError(f"release {release_id} has no {language} version") from None
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _bundles(self, release_ids, out):
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for release in exporter.releases(release_ids):
            folder = out / str(release.release_id)
            folder.mkdir(exist_ok=True)
            for name, text in exporter.bundle_files(release).items():
                (folder / name).write_text(text, encoding="utf-8")
            exporter.bundle_media(release, folder)
            n += 1
        self.stderr.write(f"{n} release(s) written to {out}")
