"""queries.page_versions, the release page's one precompiled query, gives what the ORM's
select_related gives: every field converted as Django converts it, on either database."""

from datetime import datetime

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.queries import page_versions


def _fields(obj, leave_out=()):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.name not in leave_out}


def test_page_versions_are_the_orm_select_related(sample_archive):
    release = Release.objects.filter(versions__is_original=False).distinct().first()
    store.set_status(release, Release.Status.WITHDRAWN, "Issued in error")  # status_at set
    original = release.versions.get(is_original=True)
    store.correct_version(original, note="Title corrected", fields=store.content_fields(
        title=original.title + " (corrected)", subtitles=original.subtitles,
        body_html=original.body_html, sign_off=original.sign_off, pib_id=original.pib_id))
    compared = 0
    for release_id in Release.objects.values_list("release_id", flat=True):
        expected = {v.language_id: v for v in LanguageVersion.objects.filter(
            release_id=release_id).select_related("release__ministry", "release__bureau",
                                                  "language")}
        got = page_versions(release_id)
        assert sorted(v.language_id for v in got) == sorted(expected)
        assert len({id(v.release) for v in got}) == 1  # one release shared by its versions
        for v in got:
            e = expected[v.language_id]
            assert _fields(v, {"received"}) == _fields(e, {"received"})
            for name in ("release", "language"):
                assert _fields(getattr(v, name)) == _fields(getattr(e, name))
            for name in ("ministry", "bureau"):
                assert _fields(getattr(v.release, name)) == _fields(getattr(e.release, name))
            assert all(value.tzinfo is not None for value in _fields(v).values()
                       if isinstance(value, datetime))
            assert v.received == e.received  # left out of the query, loaded when asked for
            compared += 1
    assert compared > 100
    assert page_versions(10**15) == []


def test_release_with_versions_is_the_general_path(sample_archive, django_assert_max_num_queries):
    """The one-release path (the .json, .txt and API answer) loads what releases_with_versions
    loads, media and the import's received text included, and reads nothing more after."""
    from pressroom.releases.queries import release_with_versions, releases_with_versions
    from pressroom.releases.tests import mediasamples as samples

    english = LanguageVersion.objects.filter(release__versions__language_id="hi",
                                             language_id="en").first()
    hindi = LanguageVersion.objects.get(release_id=english.release_id, language_id="hi")
    photo = store.store_file(samples.jpeg(800, 600), "p.jpg")
    store.attach_photo(english, store.PhotoSpec(photo, "Alt", "Caption", "PIB"))
    store.attach_document(hindi, store.AttachmentSpec(store.store_file(samples.pdf(1), "d.pdf"),
                                                      "Statement", "hi"))
    ids = [english.release_id, *Release.objects.exclude(release_id=english.release_id)
           .values_list("release_id", flat=True)[:40]]
    for general in releases_with_versions(ids):
        with django_assert_max_num_queries(8):
            fast = release_with_versions(general.release_id)
        with django_assert_max_num_queries(0):  # everything is loaded
            got = {v.language_id: v for v in fast.versions.all()}
            assert _fields(fast) == _fields(general)
            for name in ("ministry", "bureau"):
                assert _fields(getattr(fast, name)) == _fields(getattr(general, name))
            expected = {v.language_id: v for v in general.versions.all()}
            assert sorted(got) == sorted(expected)
            for lang, v in got.items():
                e = expected[lang]
                assert _fields(v) == _fields(e) and _fields(v.language) == _fields(e.language)
                for media in ("photos", "attachments"):
                    assert ([(_fields(m), _fields(m.file)) for m in getattr(v, media).all()]
                            == [(_fields(m), _fields(m.file)) for m in getattr(e, media).all()])
    assert [p.caption for p in release_with_versions(english.release_id).versions.get(
        language_id="en").photos.all()] == ["Caption"]
    assert release_with_versions(10**15) is None


def test_listing_versions_are_what_the_orm_gives(sample_archive, django_assert_max_num_queries):
    """with_display_versions' one query: the shown version (the asked-for language, else the
    original) and the release's languages, as the ORM's prefetch gave them; what a listing
    reads of them needs no further query."""
    from pressroom.releases.models import Language
    from pressroom.releases.queries import NEWEST_FIRST, with_display_versions

    hindi = Language.objects.get(code="hi")
    qs = Release.objects.order_by(*NEWEST_FIRST)
    checked = 0
    for language in (None, hindi):
        with django_assert_max_num_queries(6):
            releases = with_display_versions(qs, language)
        with django_assert_max_num_queries(0):
            for r in releases:
                assert r.shown.release is r and r.shown.language.code == r.shown.language_id
                assert r.shown.title and r.ministry.name and r.bureau.name
                assert r.shown.get_absolute_url().startswith(f"/release/{r.release_id}/")
        for r in releases:
            expected = list(LanguageVersion.objects.filter(release=r).select_related("language"))
            want = ([v for v in expected if language and v.language_id == language.code]
                    or [v for v in expected if v.is_original])[0]
            assert (r.shown.pk, r.shown.title, r.shown.subtitles, r.shown.is_original) == (
                want.pk, want.title, want.subtitles, want.is_original)
            assert [lang.code for lang in r.languages] == [
                v.language.code for v in sorted(expected, key=lambda v: v.language.position)]
            checked += 1
    assert checked > 50
