"""GET /api/v1/search?q=...: the search page's hits, facets and paging as JSON.

Parameters are read by the same lenient reader as the page (params.SearchRequest), so a
bad value gets a 400 with messages, never a 422 or a 500.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from pressroom.releases import representations

from . import engine
from .params import SearchRequest
from .service import run_search

router = Router(tags=["search"])

MAX_PER_PAGE = 100


class SearchParams(Schema):
    q: str = Field("", description='Words, "a phrase", -excluded, a OR b, or a Release ID')
    ministry: str = Field("", description="Ministry slug")
    bureau: str = Field("", description="Bureau slug")
    lang: str = Field("", description="Language code (en, hi, ur, ...)")
    date_from: str = Field("", alias="from", description="YYYY-MM-DD, inclusive (IST)")
    date_to: str = Field("", alias="to", description="YYYY-MM-DD, inclusive (IST)")
    sort: str = Field("relevance", description="relevance or newest")
    page: str = Field("1", description="1-based page number")
    per_page: str = Field(str(engine.PER_PAGE), description=f"1 to {MAX_PER_PAGE}")


class HitOut(Schema):
    release_id: int
    pib_id: int | None
    language: str
    language_name: str
    direction: str
    original: bool
    title: str
    title_html: str = Field(description="Title, HTML-escaped, matches in <mark>")
    snippet_html: str = Field(description="Text around the matches, HTML-escaped, matches in <mark>")
    ministry: str
    bureau: str
    posted_at: datetime
    status: str
    id_match: bool = Field(description="Found because the query names its Release ID or PIB ID")
    url: str


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    ministry: list[FacetOut]
    year: list[FacetOut]
    language: list[FacetOut]


class SearchOut(Schema):
    query: str
    total: int
    total_exact: bool = Field(description="False when more than `cap` match: total is an estimate "
                                          "and facets count the cap newest matches")
    cap: int
    page: int
    per_page: int
    pages: int
    sort: str
    notes: list[str]
    facets: FacetsOut
    hits: list[HitOut]


class ErrorOut(Schema):
    detail: str
    errors: list[str]


@router.get("", response={200: SearchOut, 400: ErrorOut, 503: ErrorOut}, url_name="search")
def search(request, params: Query[SearchParams]):
    raw = {"q": params.q, "ministry": params.ministry, "bureau": params.bureau, "lang": params.lang,
           "from": params.date_from, "to": params.date_to, "sort": params.sort, "page": params.page}
    req = SearchRequest.from_query(raw)
    per_page = int(params.per_page) if params.per_page.isdigit() and len(params.per_page) < 4 else 0
    if not 1 <= per_page <= MAX_PER_PAGE:
        req.errors.append(f"per_page must be a number from 1 to {MAX_PER_PAGE}.")
    if req.errors:
        return Status(400, {"detail": "Some parameters could not be used.", "errors": req.errors})
    results = run_search(req, per_page) if req.q.strip() else engine.Results(
        query=engine.queryparse.parse(""), per_page=per_page)
    if results is None:
        return Status(503, {"detail": "Search is not working at the moment.", "errors": req.errors})
    return Status(200, {
        "query": results.query.text, "total": results.total, "total_exact": results.total_exact,
        "cap": results.cap, "page": results.page, "per_page": results.per_page,
        "pages": results.pages, "sort": req.sort, "notes": req.notes + results.query.notes,
        "facets": {name: [{"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                          for f in values] for name, values in
                   ({"ministry": [], "year": [], "language": []} | results.facets).items()},
        "hits": [hit_json(request, h) for h in results.hits],
    })


def hit_json(request, hit: engine.Hit) -> dict:
    return representations.search_hit(hit.version, request.build_absolute_uri,
                                      title_html=hit.title_html, snippet_html=hit.snippet_html,
                                      id_match=hit.by_id)
