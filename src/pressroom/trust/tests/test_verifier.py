"""POST /api/v1/verify and /verify/: genuine texts (however forwarded) are named, altered
ones shown with their differences, and nothing invented or changed is called genuine."""

import json
import re

import pytest

from conftest import SAMPLE
from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release

API = "/api/v1/verify"


@pytest.fixture
def archive(import_paths):
    report = import_paths(SAMPLE)
    assert report.counts["rejected"] == 0
    return report


def longest(lang, skip=()):
    versions = [v for v in LanguageVersion.objects.filter(language_id=lang).select_related("release")
                if v.release_id not in skip and len(v.paragraphs) >= 3]
    return max(versions, key=lambda v: len(v.body_text))


def check(client, text=None, **payload):
    body = {"text": text} if text is not None else payload
    r = client.post(API, json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()


def forwarded(v: LanguageVersion) -> str:
    """What a chat app makes of a release: a banner, bold title, curly quotes, emoji, lines joined."""
    body = " ".join(v.paragraphs).replace('"', "\u201c").replace("'", "\u2019")
    return f"Forwarded\n*{v.title}* \U0001F1EE\U0001F1F3\U0001F64F\n{body}\n\u2705 {v.sign_off}"


def change_number(text: str) -> str:
    m = re.search(r"\d+", text)
    assert m, "no figure to change"
    return text[:m.start()] + str(int(m[0]) + 7) + text[m.end():]


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_genuine_text_however_forwarded(client, archive, lang):
    v = longest(lang)
    for text in (v.title + "\n" + v.body_text, forwarded(v), v.paragraphs[1]):
        got = check(client, text)
        assert got["verdict"] == "genuine", (got, text[:200])
        assert (got["release_id"], got["language"], got["revision"]) == (v.release_id, lang, 1)
        assert got["url"].endswith(v.get_absolute_url())


def test_the_downloaded_text_file_is_genuine(client, archive):
    v = longest("en")
    text = client.get(f"/release/{v.release_id}.txt").content.decode()
    assert check(client, text)["verdict"] == "genuine"
    upload = client.post(API, {"file": _file("r.txt", text.encode())})
    assert upload.json()["verdict"] == "genuine"
    js = client.get(f"/release/{v.release_id}.json").content
    assert client.post(API, {"file": _file("r.json", js)}).json()["verdict"] == "genuine"


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_alterations_are_never_genuine(client, archive, lang):
    v = longest(lang)
    other = longest(lang, skip={v.release_id})
    base = v.title + "\n" + v.body_text
    name = "Rajasthan" if lang == "en" else "राजस्थान"
    words = v.paragraphs[1].split()
    swapped = v.paragraphs[1].replace(words[len(words) // 2], name, 1)
    forgeries = {
        "figure changed": change_number(base) if re.search(r"\d", base) else base + " 1000",
        "name changed": base.replace(v.paragraphs[1], swapped),
        "sentence inserted": base.replace(v.paragraphs[1], v.paragraphs[1] + (
            " The government will give every family free electricity from next month." if lang == "en"
            else " सरकार अगले महीने से हर परिवार को मुफ्त बिजली देगी।")),
        "spliced": "\n".join(v.paragraphs[:2] + other.paragraphs[:2]),
    }
    for kind, text in forgeries.items():
        got = check(client, text)
        assert got["verdict"] == "altered", (kind, got)
        assert got["release_id"] == (v.release_id if kind != "spliced" else got["release_id"]), kind
        assert got["differences"], kind
        if kind == "spliced":
            assert {got["release_id"]} | {int(n) for n in re.findall(r"\d{6,}", got["explanation"])} \
                >= {v.release_id, other.release_id}, got["explanation"]
    figure = check(client, forgeries["figure changed"])
    assert any(re.search(r"\d", d["submitted"]) for d in figure["differences"])


def test_invented_text_is_unknown_even_claiming_a_real_release_id(client, archive):
    v = longest("en")
    invented = ("The Ministry announces that every citizen will receive a free smartphone and "
                "a monthly payment of five thousand rupees from the first of next month, the "
                "Minister said in New Delhi today.")
    got = check(client, invented)
    assert got["verdict"] == "unknown" and got["release_id"] is None
    got = check(client, invented + f"\n(Release ID: {v.release_id})")
    assert got["verdict"] == "unknown"
    assert str(v.release_id) in got["explanation"] and "not it" in got["explanation"]
    got = check(client, invented + "\n(Release ID: 99999999)")
    assert got["verdict"] == "unknown" and "no release with that ID" in got["explanation"]


def test_a_genuine_text_under_another_release_id_is_not_genuine(client, archive):
    v = longest("en")
    other = longest("en", skip={v.release_id})
    text = client.get(f"/release/{v.release_id}.txt").content.decode().replace(
        f"(Release ID: {v.release_id})", f"(Release ID: {other.release_id})")
    assert check(client, text)["verdict"] != "genuine"


def test_outdated_and_withdrawn(client, archive):
    v = longest("en")
    old_text = v.title + "\n" + v.body_text
    new_body = "".join(f"<p>{p}</p>" for p in [v.paragraphs[0] + " (corrected)", *v.paragraphs[1:]])
    store.correct_version(v, fields=store.content_fields(title=v.title, body_html=new_body,
                                                         sign_off=v.sign_off), note="Corrected")
    got = check(client, old_text)
    assert got["verdict"] == "outdated" and got["revision"] == 1 and got["release_id"] == v.release_id
    v.refresh_from_db()
    assert check(client, v.title + "\n" + v.body_text)["verdict"] == "genuine"
    store.set_status(v.release, Release.Status.WITHDRAWN, "Issued in error")
    got = check(client, v.title + "\n" + v.body_text)
    assert got["verdict"] == "withdrawn" and "Issued in error" in got["explanation"]


def test_links_are_read_never_fetched(client, archive):
    v = longest("en")
    assert check(client, url=f"http://testserver/release/{v.release_id}/")["verdict"] == "genuine"
    pib = check(client, url=f"https://pib.gov.in/PressReleasePage.aspx?PRID={v.release_id}")
    assert pib["verdict"] == "genuine" and pib["release_id"] == v.release_id
    assert check(client, url="https://pib.gov.in/PressReleasePage.aspx?PRID=99999999")["verdict"] == "unknown"
    r = client.post(API, json.dumps({"url": "https://evil.example/release/1548606/"}),
                    content_type="application/json")
    assert r.status_code == 400 and "never open" in r.json()["detail"]


@pytest.mark.parametrize("body,ctype,status,words", [
    (b"", "application/json", 400, "empty"),
    (b"{}", "application/json", 400, "text"),
    (b'{"text": ""}', "application/json", 400, "empty"),
    (b'{"text": 5}', "application/json", 400, "strings"),
    (b"{not json", "application/json", 400, "JSON"),
    (b"\x00\x01\x02\xff" * 100, "application/octet-stream", 400, "binary"),
    (b"word " * 300_000, "text/plain", 413, "1 MB"),
    (b"hi", "text/plain", 400, "Too short"),
    ("Ministry of Defence text in Latin-1: caf\xe9 d\xe9j\xe0 vu and more words".encode("latin-1"),
     "text/plain", 200, ""),
    ("उपयोगकर्ता ने भेजा संदेश जिसमें कई शब्द हैं और कुछ नहीं".encode("utf-16"), "text/plain", 200, ""),
])
def test_bad_input_gets_a_clear_message_never_a_500(client, archive, body, ctype, status, words):
    r = client.post(API, body, content_type=ctype)
    assert r.status_code == status, r.content[:300]
    if status != 200:
        assert words in r.json()["detail"]
    else:
        assert r.json()["verdict"] == "unknown"


def test_uploads_of_other_kinds_are_refused(client, archive):
    r = client.post(API, {"file": _file("virus.exe", b"MZ\x00\x00")})
    assert r.status_code == 400 and ".txt" in r.json()["detail"]
    r = client.post(API, {"file": _file("big.txt", b"a " * 600_000)})
    assert r.status_code == 413


def test_rate_limited_per_client(client, archive, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "VERIFY_RATE_PER_MINUTE": 3}
    codes = [client.post(API, json.dumps({"text": "some words to check here now"}),
                         content_type="application/json").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    other = client.post(API, json.dumps({"text": "some words to check here now"}),
                        content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.parametrize("lang,heading", [("en", "Genuine"), ("hi", "असली")])
def test_verify_page_in_english_and_hindi(client, archive, lang, heading):
    v = longest("en")
    client.cookies["django_language"] = lang
    page = client.get("/verify/")
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    r = client.post("/verify/", {"text": forwarded(v)})
    assert r.status_code == 200
    assert heading in r.content.decode()
    r = client.post("/verify/", {"text": ""})
    assert r.status_code == 400
    r = client.post("/verify/", {"text": change_number(v.title + "\n" + v.body_text)})
    assert "<del>" in r.content.decode()


def test_verify_page_needs_the_csrf_token(archive):
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post("/verify/", {"text": "anything at all here"})
    assert r.status_code == 403


def test_the_openapi_document_lists_verify(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "post" in doc["paths"]["/api/v1/verify"]


def test_the_check_it_link_of_a_release_page(client, archive):
    v = longest("en")
    page = client.get(v.get_absolute_url()).content.decode()
    link = re.search(r'href="(http://testserver/verify/\?url=[^"]+)"', page)[1]
    r = client.get(link.replace("http://testserver", ""))
    assert r.status_code == 200 and "Genuine" in r.content.decode()
    r = client.get("/verify/?url=https://evil.example/x")
    assert r.status_code == 400 and "never open" in r.content.decode().replace("&#x27;", "'")


def test_the_api_takes_posts_without_a_csrf_token(archive):
    """curl and scripts have no CSRF cookie; the API keeps no session state to protect."""
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post(API, json.dumps({"text": "some words to check here"}),
                                               content_type="application/json")
    assert r.status_code == 200 and r.json()["verdict"] == "unknown"


def test_the_same_text_under_several_release_ids_names_the_first_written(client, archive):
    # PIB issues some texts word for word under two Release IDs. Which one the verifier names
    # must not depend on the order the database returns versions that share as many shingles.
    from pressroom.trust import neardup
    from pressroom.trust.textmatch import norm_words, shingles

    v = longest("en")
    twins = [store.publish_release(
        ministry=v.release.ministry, bureau=v.release.bureau, language="en",
        posted_at=v.release.posted_at, fields=store.content_fields(
            title=v.title, body_html=v.body_html, sign_off=v.sign_off)).release_id for _ in range(5)]
    versions = list(LanguageVersion.objects.filter(release_id__in=[v.release_id, *twins])
                    .order_by("pk").values_list("pk", flat=True))
    found = neardup.candidates(shingles(norm_words(v.title + "\n" + v.body_text)))
    assert [vid for vid, _ in found[:6]] == versions
    got = check(client, forwarded(LanguageVersion.objects.get(release_id=twins[-1])))
    assert got["verdict"] == "genuine" and got["release_id"] == v.release_id, got
    assert f"also published as release {twins[0]}" in got["explanation"]
