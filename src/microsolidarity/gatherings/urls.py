from microsolidarity.gatherings.views import agenda, feeds, gatherings, polls, registration

urlpatterns = [
    *gatherings.urlpatterns,
    *feeds.urlpatterns,
    *polls.urlpatterns,
    *agenda.urlpatterns,
    *registration.urlpatterns,
]
