"""Routes for programs, cohorts and the pathway; the project mounts them at the root."""

from microsolidarity.programs.views import cohorts, pathway, programs

urlpatterns = [*programs.urlpatterns, *cohorts.urlpatterns, *pathway.urlpatterns]
