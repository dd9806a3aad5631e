"""The search page. Thin: parameters in params.py, running a search in service.py."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_safe

from pressroom.website import pagecache

from . import engine
from .params import SearchRequest
from .service import run_search


@require_safe
@pagecache.kept_while_record_unchanged(store="search")
def search_page(request):
    req = SearchRequest.from_query(request.GET)
    results = run_search(req) if req.q.strip() else None
    failed = req.q.strip() and results is None
    return render(request, "search/search.html", {
        "req": req, "results": results,
        "notes": req.notes + (results.query.notes if results else []),
        "facets": facet_links(req, results) if results else {},
        "pages": page_links(req, results) if results else {},
        "sort_links": [(s, s == req.sort, "?" + urlencode(req.as_query(sort=s)))
                       for s in engine.SORTS],
    }, status=503 if failed else 400 if req.errors else 200)


# The page lists the 15 ministries with most matches (of up to 100): links for those only.
FACET_VALUES_SHOWN = {"ministry": 15}


def facet_links(req: SearchRequest, results) -> dict:
    """Each facet value shown with the link that narrows the search to it (or widens it back)."""
    links = {}
    for name, values in results.facets.items():
        rows = []
        for f in values[:FACET_VALUES_SHOWN.get(name)]:
            if name == "year":
                change = ({"from": "", "to": ""} if f.selected else
                          {"from": f"{f.value}-01-01", "to": f"{f.value}-12-31"})
            else:
                key = {"ministry": "ministry", "language": "lang"}[name]
                change = {key: "" if f.selected else f.value}
            rows.append({"label": f.label, "count": f.count, "selected": f.selected, "lang": f.lang,
                         "url": "?" + urlencode(req.as_query(**change))})
        links[name] = rows
    return links


def page_links(req: SearchRequest, results) -> dict:
    return {
        "previous": "?" + urlencode(req.as_query(page=results.page - 1))
        if results.has_previous else "",
        "next": "?" + urlencode(req.as_query(page=results.page + 1)) if results.has_next else "",
    }
