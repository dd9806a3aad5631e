"""What a release page tells machines: schema.org NewsArticle and Open Graph. Plain functions."""

from pressroom.releases.pibtext import IST

PUBLISHER = "Press Information Bureau, Government of India"


def last_modified(release, version):
    return max(release.updated_at, version.updated_at)


def news_article(release, version, url: str, versions_urls: dict[str, str],
                 description: str = "") -> dict:
    """schema.org NewsArticle (JSON-LD) for one language version.

    The body is on the page already: a description, not `articleBody`, keeps pages small."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": str(version.pib_id or release.release_id),
        "headline": version.title[:300],
        "inLanguage": version.language_id,
        "datePublished": release.posted_at.astimezone(IST).isoformat(),
        "dateModified": last_modified(release, version).astimezone(IST).isoformat(),
        "articleSection": release.ministry.name,
        "author": {"@type": "GovernmentOrganization", "name": release.ministry.name},
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "sourceOrganization": {"@type": "GovernmentOrganization", "name": release.bureau.name},
        "description": description,
    }
    if version.subtitle_list:
        data["alternativeHeadline"] = version.subtitle_list[0]
    if not version.is_original:
        original = versions_urls.get(release.original_language_id)
        if original:
            data["translationOfWork"] = {"@id": original}
    others = [u for code, u in versions_urls.items() if code != version.language_id]
    if others and version.is_original:
        data["workTranslation"] = [{"@id": u} for u in others]
    return data


def open_graph_locale(version) -> str:
    return f"{version.language_id}_IN"
