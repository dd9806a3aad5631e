"""Reading /search/ and /api/v1/search parameters, leniently and the same way for both.

Values a reader can get wrong never raise: an unknown ministry or a date that is not a date
becomes an error message (that filter is left out), a backwards date range is read the right
way round with a note, a page that is not a number is page 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.releases.dates import archive_date
from pressroom.releases.models import Bureau, Language, Ministry

from . import engine

MAX_PAGE = 1000


@dataclass
class SearchRequest:
    q: str = ""
    filters: engine.Filters = field(default_factory=engine.Filters)
    sort: str = "relevance"
    page: int = 1
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> SearchRequest:
        r = cls(q=str(params.get("q", ""))[:20_000])
        f = r.filters
        for key, model, attr, name in (("ministry", Ministry, "slug", "ministry"),
                                       ("bureau", Bureau, "slug", "bureau"),
                                       ("lang", Language, "code", "language")):
            value = _clean(params.get(key, ""))[:200]
            if value:
                obj = model.objects.filter(**{attr: value}).first()
                if obj is None:
                    r.errors.append(f"There is no {name} “{value[:60]}”, so that filter was left out.")
                setattr(f, name, obj)
        for key, attr in (("from", "date_from"), ("to", "date_to")):
            value = _clean(params.get(key, ""))
            if value:
                try:
                    setattr(f, attr, archive_date(value))
                except ValueError:
                    r.errors.append(f"“{value[:40]}” is not a date: use YYYY-MM-DD, for example "
                                    "2020-04-04. That date was left out.")
        if f.date_from and f.date_to and f.date_from > f.date_to:
            f.date_from, f.date_to = f.date_to, f.date_from
            r.notes.append("The dates were the wrong way round, so we searched from "
                           f"{f.date_from.isoformat()} to {f.date_to.isoformat()}.")
        sort = _clean(params.get("sort", ""))
        if sort in engine.SORTS:
            r.sort = sort
        elif sort:
            r.notes.append("Results can be sorted by relevance or newest; showing the most relevant.")
        page = _clean(params.get("page", ""))
        r.page = min(int(page), MAX_PAGE) if page.isdigit() and 0 < len(page) < 8 and int(page) else 1
        return r

    def as_query(self, **override) -> dict:
        """The parameters that reproduce this search (for links), with ``override`` applied."""
        f = self.filters
        q = {"q": self.q, "ministry": f.ministry.slug if f.ministry else "",
             "bureau": f.bureau.slug if f.bureau else "", "lang": f.language.code if f.language else "",
             "from": f.date_from.isoformat() if f.date_from else "",
             "to": f.date_to.isoformat() if f.date_to else "",
             "sort": self.sort if self.sort != "relevance" else ""}
        q.update(override)
        return {k: v for k, v in q.items() if v}


def _clean(value) -> str:
    return "".join(ch for ch in str(value) if ch.isprintable()).strip()
