"""The good-practice library: published case studies, and one case study in the seed's layout."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions, selectors
from ..filters import CaseStudyFilter

CASE_STUDIES_PER_PAGE = 12


@require_GET
def case_study_list(request):
    case_study_filter = CaseStudyFilter(request.GET, queryset=selectors.published_case_studies())
    page = Paginator(case_study_filter.qs, CASE_STUDIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchanges/case_study_list.html",
        {"filter": case_study_filter, "page": page, "query": query.urlencode()},
    )


@require_GET
def case_study_detail(request, slug):
    """Public once published; a draft only for the secretariat, who reviews it."""
    case_study = permissions.case_study_for_viewer(request.user, slug)
    return render(
        request,
        "exchanges/case_study_detail.html",
        {
            "case_study": case_study,
            "exchange": case_study.exchange,
            "quotes": selectors.public_quotes_of(case_study),
        },
    )
