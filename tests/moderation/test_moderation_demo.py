"""The demo shows moderation: an open report for the host, and a crew call they hid."""

from microsolidarity.crewing.models import CrewCall
from microsolidarity.demo.network import DEMO_HOST_EMAIL, demo_network_load
from microsolidarity.moderation.models import ActionKind, ModerationAction, Report, ReportStatus


def test_the_demo_has_an_open_report_and_a_hidden_crew_call(db):
    demo_network_load()
    open_report = Report.objects.get(status=ReportStatus.OPEN)
    assert open_report.about_person is not None
    hidden = CrewCall.objects.get(hidden_at__isnull=False)
    action = ModerationAction.objects.get(kind=ActionKind.HIDE)
    assert action.content_id == hidden.pk and action.by.email == DEMO_HOST_EMAIL
    assert open_report.group == action.group == hidden.congregation
