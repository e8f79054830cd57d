"""The pathway page: my own self-assessment beside the roles I held. Nobody else's, ever."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from microsolidarity.pages import domain_errors_on
from microsolidarity.programs import pathway
from microsolidarity.programs.forms import PathwayForm
from microsolidarity.programs.models import PathwayRating


@never_cache
@login_required
def pathway_page(request: HttpRequest) -> HttpResponse:
    person = request.user
    ratings = dict(PathwayRating.objects.filter(person=person).values_list("skill", "level"))
    initial = {key: str(level) for key, level in ratings.items()}
    initial["note"] = pathway.note_of(person)
    form = PathwayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            pathway.pathway_save(
                person=person, ratings=form.ratings(), note=form.cleaned_data["note"]
            )
            messages.success(request, _("Saved. Only you can see this."))
            return redirect("pathway")
    stages = pathway.pathway_of(person)
    return render(
        request,
        "programs/pathway.html",
        {
            "stages": stages,
            "form": form,
            "max_level": pathway.MAX_LEVEL,
            "fields_by_stage": [
                (
                    stage,
                    [form[key] for key, _level, _label in pathway.SKILLS if _level == stage.key],
                )
                for stage in stages
            ],
        },
    )
