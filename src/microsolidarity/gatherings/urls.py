from microsolidarity.gatherings.views import agenda, feeds, gatherings, polls

urlpatterns = [
    *gatherings.urlpatterns,
    *feeds.urlpatterns,
    *polls.urlpatterns,
    *agenda.urlpatterns,
]
