from microsolidarity.crewing.views import calls, cycles, rounds

urlpatterns = [
    *calls.urlpatterns,
    *rounds.urlpatterns,
    *cycles.urlpatterns,
]
