"""The permission matrix for pages: every named route, requested with GET as every role.

Routes come from the URL resolver; each must have a row below, so a new page without a
decided answer fails the suite. A row gives the status each role gets, in ROLES order (see
matrix_world.py for who each role is). Path parameters name real objects the roles relate
to: the crew role's crew, cycle, meeting and dyad; the host's gathering, poll and round; the
member's journal, call and token. Only Django's own account keys (a password reset key, an
email confirmation) are made up: those answer as a wrong key does.

POST-only routes are in the table too: a GET must not act (405, or the login redirect).
What a POST may do is the matrix in test_matrix_posts.py; the API's in test_matrix_api.py.
The admin is checked as a whole: every admin route sends anyone but staff to its login.
Set MATRIX_PRINT=1 to print the observed table (to review a change, never to paste blindly).
"""

import os

import pytest
from matrix_support import ADD_A_ROW, ROLES, clients, named_routes, print_table, route_url

# name: (anonymous, outsider, member, crew member, host, staff)
PAGES: dict[str, tuple[int, ...]] = {
    "account_change_password": (302, 200, 200, 200, 200, 200),
    "account_confirm_login_code": (302, 302, 302, 302, 302, 302),
    "account_email": (302, 200, 200, 200, 200, 200),
    "account_email_verification_sent": (302, 302, 302, 302, 302, 302),
    "account_inactive": (200, 200, 200, 200, 200, 200),
    "account_login": (200, 302, 302, 302, 302, 302),
    "account_logout": (302, 200, 200, 200, 200, 200),
    "account_reauthenticate": (302, 200, 200, 200, 200, 200),
    "account_request_login_code": (200, 302, 302, 302, 302, 302),
    "account_reset_password": (200, 200, 200, 200, 200, 200),
    "account_reset_password_done": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key_done": (200, 200, 200, 200, 200, 200),
    "account_set_password": (302, 302, 302, 302, 302, 302),
    "account_signup": (200, 302, 302, 302, 302, 302),
    "agenda_detail": (200, 200, 200, 200, 200, 200),
    "agenda_interest": (302, 405, 405, 405, 405, 405),
    "agenda_place": (302, 405, 405, 405, 405, 405),
    "agenda_print": (200, 200, 200, 200, 200, 200),
    "agenda_propose": (302, 405, 405, 405, 405, 405),
    "agenda_rooms": (302, 405, 405, 405, 405, 405),
    "agenda_unplace": (302, 405, 405, 405, 405, 405),
    "chat_rule_delete": (302, 405, 405, 405, 405, 405),
    "chat_rule_new": (302, 404, 404, 404, 200, 200),
    "chat_rule_test": (302, 405, 405, 405, 405, 405),
    "congregation_crewing": (302, 404, 200, 200, 200, 200),
    "contribute": (200, 200, 200, 200, 200, 200),
    "contribute_edit": (302, 403, 403, 403, 200, 200),
    "copy_detail": (302, 404, 200, 200, 200, 200),
    "copy_hand_over": (302, 405, 405, 405, 405, 405),
    "copy_remove": (302, 405, 405, 405, 405, 405),
    "copy_request": (302, 405, 405, 405, 405, 405),
    "copy_withdraw": (302, 405, 405, 405, 405, 405),
    "crew_call_answer": (302, 405, 405, 405, 405, 405),
    "crew_call_create": (302, 404, 200, 200, 200, 200),
    "crew_call_detail": (302, 404, 200, 200, 200, 404),
    "crew_call_edit": (302, 404, 200, 404, 404, 404),
    "crew_call_form": (302, 405, 405, 405, 405, 405),
    "crew_call_interest": (302, 405, 405, 405, 405, 405),
    "crew_call_interest_withdraw": (302, 405, 405, 405, 405, 405),
    "crew_call_withdraw": (302, 405, 405, 405, 405, 405),
    "crew_cycles": (302, 404, 404, 302, 404, 404),
    "crew_leave": (302, 405, 405, 405, 405, 405),
    "cycle_detail": (302, 404, 404, 200, 404, 404),
    "digest_off": (200, 200, 200, 200, 200, 200),
    "digest_settings": (302, 200, 200, 200, 200, 200),
    "dyad_propose": (302, 405, 405, 405, 405, 405),
    "dyads_checkin": (302, 404, 404, 200, 404, 404),
    "dyads_home": (302, 200, 200, 200, 200, 200),
    "dyads_opt_in": (302, 405, 405, 405, 405, 405),
    "dyads_opt_out": (302, 405, 405, 405, 405, 405),
    "dyads_outcome": (302, 405, 405, 405, 405, 405),
    "dyads_outcome_link": (200, 200, 200, 200, 200, 200),
    "dyads_program": (302, 404, 200, 200, 200, 200),
    "federation_event": (200, 200, 200, 200, 200, 200),
    "federation_group": (200, 200, 200, 200, 200, 200),
    "federation_group_followers": (200, 200, 200, 200, 200, 200),
    "federation_group_inbox": (405, 405, 405, 405, 405, 405),
    "federation_group_outbox": (200, 200, 200, 200, 200, 200),
    "federation_instance": (200, 200, 200, 200, 200, 200),
    "federation_instance_inbox": (405, 405, 405, 405, 405, 405),
    "federation_instance_outbox": (200, 200, 200, 200, 200, 200),
    "federation_shared_inbox": (405, 405, 405, 405, 405, 405),
    "federation_webfinger": (200, 200, 200, 200, 200, 200),
    "feed_reset": (302, 405, 405, 405, 405, 405),
    "feed_revoke": (302, 405, 405, 405, 405, 405),
    "feed_settings": (302, 200, 200, 200, 200, 200),
    "gathering_buddy_ask": (302, 405, 405, 405, 405, 405),
    "gathering_buddy_offer": (302, 405, 405, 405, 405, 405),
    "gathering_budget": (302, 405, 405, 405, 405, 405),
    "gathering_cancel": (302, 405, 405, 405, 405, 405),
    "gathering_create": (302, 302, 302, 302, 200, 200),
    "gathering_detail": (200, 200, 200, 200, 200, 200),
    "gathering_edit": (302, 302, 302, 302, 200, 200),
    "gathering_feed": (200, 200, 200, 200, 200, 200),
    "gathering_host_add": (302, 405, 405, 405, 405, 405),
    "gathering_host_remove": (302, 405, 405, 405, 405, 405),
    "gathering_list": (200, 200, 200, 200, 200, 200),
    "gathering_registrations_csv": (302, 403, 403, 403, 200, 200),
    "gathering_slot_create": (302, 405, 405, 405, 405, 405),
    "gathering_slot_delete": (302, 405, 405, 405, 405, 405),
    "gathering_slot_signup": (302, 405, 405, 405, 405, 405),
    "gathering_slot_withdraw": (302, 405, 405, 405, 405, 405),
    "gathering_volunteer": (200, 200, 200, 200, 200, 200),
    "group_accept": (302, 405, 405, 405, 405, 405),
    "group_create": (302, 200, 200, 200, 200, 200),
    "group_decline": (302, 405, 405, 405, 405, 405),
    "group_detail": (200, 200, 200, 200, 200, 200),
    "group_edit": (302, 302, 302, 302, 200, 200),
    "group_feed": (200, 200, 200, 200, 200, 200),
    "group_invite": (302, 405, 405, 405, 405, 405),
    "group_join": (302, 405, 405, 405, 405, 405),
    "group_leave": (302, 405, 405, 405, 405, 405),
    "group_list": (200, 200, 200, 200, 200, 200),
    "group_members": (302, 403, 200, 200, 200, 200),
    "group_membership_manage": (302, 405, 405, 405, 405, 405),
    "group_pause": (302, 405, 405, 405, 405, 405),
    "group_request": (302, 405, 405, 405, 405, 405),
    "group_request_answer": (302, 405, 405, 405, 405, 405),
    "group_rotate_host": (302, 405, 405, 405, 405, 405),
    "group_withdraw": (302, 405, 405, 405, 405, 405),
    "helping": (302, 200, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200, 200),
    "home": (200, 200, 200, 200, 200, 200),
    "invitation_open": (302, 403, 403, 403, 403, 403),
    "journal_delete_all": (302, 200, 200, 200, 200, 200),
    "journal_entry_create": (302, 200, 200, 200, 200, 200),
    "journal_entry_delete": (302, 405, 405, 405, 405, 405),
    "journal_entry_detail": (302, 404, 200, 404, 404, 404),
    "journal_entry_edit": (302, 404, 200, 404, 404, 404),
    "journal_export": (302, 200, 200, 200, 200, 200),
    "journal_home": (302, 200, 200, 200, 200, 200),
    "journal_part_create": (302, 200, 200, 200, 200, 200),
    "journal_part_delete": (302, 405, 405, 405, 405, 405),
    "journal_part_edit": (302, 404, 200, 404, 404, 404),
    "ledger": (200, 200, 200, 200, 200, 200),
    "ledger_import": (302, 403, 403, 200, 403, 403),
    "loan_return": (302, 405, 405, 405, 405, 405),
    "library_book": (200, 200, 200, 200, 200, 200),
    "library_book_create": (302, 403, 403, 403, 403, 200),
    "library_book_edit": (302, 403, 403, 403, 403, 200),
    "library_book_epub": (404, 404, 404, 404, 404, 404),
    "library_book_pdf": (404, 404, 404, 404, 404, 404),
    "library_book_progress": (200, 200, 200, 200, 200, 200),
    "library_book_rebuild": (405, 405, 405, 405, 405, 405),
    "library_episode": (200, 200, 200, 200, 200, 200),
    "library_episode_create": (302, 403, 403, 403, 403, 200),
    "library_episode_edit": (302, 403, 403, 403, 403, 200),
    "library_essay": (200, 200, 200, 200, 200, 200),
    "library_essay_create": (302, 403, 403, 403, 403, 200),
    "library_essay_edit": (302, 403, 403, 403, 403, 200),
    "library_essay_markdown": (200, 200, 200, 200, 200, 200),
    "library_group_reading_lists": (200, 200, 200, 200, 200, 200),
    "library_home": (200, 200, 200, 200, 200, 200),
    "library_podcast": (200, 200, 200, 200, 200, 200),
    "library_podcast_feed": (200, 200, 200, 200, 200, 200),
    "library_reading_item_add": (302, 405, 405, 405, 405, 405),
    "library_reading_item_move": (302, 405, 405, 405, 405, 405),
    "library_reading_item_remove": (302, 405, 405, 405, 405, 405),
    "library_reading_list": (200, 200, 200, 200, 200, 200),
    "library_reading_list_create": (302, 302, 302, 302, 200, 200),
    "library_search": (200, 200, 200, 200, 200, 200),
    "library_video": (200, 200, 200, 200, 200, 200),
    "library_video_create": (302, 403, 403, 403, 403, 200),
    "meeting_attendance": (302, 405, 405, 405, 405, 405),
    "meeting_detail": (302, 404, 404, 200, 404, 404),
    "meeting_template_create": (302, 404, 404, 404, 200, 200),
    "moderation_act": (302, 403, 403, 403, 200, 200),
    "moderation_dismiss": (302, 405, 405, 405, 405, 405),
    "moderation_log": (302, 403, 403, 403, 200, 200),
    "moderation_mine": (302, 200, 200, 200, 200, 200),
    "moderation_notice": (200, 200, 200, 200, 200, 200),
    "moderation_queue": (302, 403, 403, 403, 200, 200),
    "moderation_report": (302, 404, 200, 200, 200, 404),
    "moderation_respond": (302, 405, 405, 405, 405, 405),
    "moderation_reverse": (302, 405, 405, 405, 405, 405),
    "newsletter_confirm": (200, 200, 200, 200, 200, 200),
    "newsletter_issue": (302, 404, 404, 404, 200, 200),
    "newsletter_issue_delete": (302, 405, 405, 405, 405, 405),
    "newsletter_issue_new": (302, 404, 404, 404, 200, 200),
    "newsletter_issue_send": (302, 405, 405, 405, 405, 405),
    "newsletter_subscribe": (200, 200, 200, 200, 200, 200),
    "newsletter_unsubscribe": (200, 200, 200, 200, 200, 200),
    "network_calendar": (200, 200, 200, 200, 200, 200),
    "network_directory": (200, 200, 200, 200, 200, 200),
    "network_federation": (302, 404, 404, 404, 404, 200),
    "network_listing_edit": (302, 302, 302, 302, 200, 200),
    "network_map": (200, 200, 200, 200, 200, 200),
    "network_map_choice": (302, 405, 405, 405, 405, 405),
    "notification_list": (302, 200, 200, 200, 200, 200),
    "notification_open": (302, 404, 302, 404, 404, 404),
    "notification_settings": (302, 200, 200, 200, 200, 200),
    "notifications_read": (302, 405, 405, 405, 405, 405),
    "occurrence_cancel": (302, 405, 405, 405, 405, 405),
    "occurrence_detail": (200, 200, 200, 200, 200, 200),
    "occurrence_feed": (200, 200, 200, 200, 200, 200),
    "occurrence_move": (302, 405, 405, 405, 405, 405),
    "occurrence_registrations_csv": (302, 403, 403, 403, 200, 200),
    "outreach_home": (302, 404, 404, 404, 200, 200),
    "person_detail": (302, 200, 200, 200, 200, 200),
    "person_feed": (200, 200, 200, 200, 200, 200),
    "pledge_end": (302, 405, 405, 405, 405, 405),
    "pledge_list": (302, 403, 403, 200, 403, 403),
    "pledge_save": (302, 405, 405, 405, 405, 405),
    "poll_close": (302, 405, 405, 405, 405, 405),
    "poll_create": (302, 403, 200, 200, 200, 200),
    "poll_detail": (404, 404, 200, 200, 200, 200),
    "poll_find_time": (302, 403, 200, 200, 200, 200),
    "poll_list": (302, 403, 200, 200, 200, 200),
    "profile_edit": (302, 200, 200, 200, 200, 200),
    "retrospective_close": (302, 405, 405, 405, 405, 405),
    "retrospective_submit": (302, 405, 405, 405, 405, 405),
    "rights_account_delete": (302, 200, 200, 200, 200, 200),
    "rights_delete_cancel": (405, 405, 405, 405, 405, 405),
    "rights_export": (302, 200, 200, 200, 200, 200),
    "rights_my_data": (302, 200, 200, 200, 200, 200),
    "round_cancel": (302, 405, 405, 405, 405, 405),
    "round_create": (302, 404, 404, 404, 200, 200),
    "round_detail": (302, 404, 200, 200, 200, 200),
    "round_form": (302, 405, 405, 405, 405, 405),
    "round_join": (302, 404, 200, 200, 200, 404),
    "round_leave": (302, 405, 405, 405, 405, 405),
    "round_list": (302, 404, 200, 200, 200, 200),
    "round_move": (302, 405, 405, 405, 405, 405),
    "round_sizes": (302, 405, 405, 405, 405, 405),
    "round_pin": (302, 405, 405, 405, 405, 405),
    "round_progress": (302, 404, 200, 200, 200, 200),
    "round_publish": (302, 405, 405, 405, 405, 405),
    "round_unpin": (302, 405, 405, 405, 405, 405),
    "rsvp_answer": (302, 405, 405, 405, 405, 405),
    "series_follow": (302, 405, 405, 405, 405, 405),
    "site_webhook_delete": (302, 405, 405, 405, 405, 405),
    "site_webhook_detail": (302, 403, 403, 403, 403, 200),
    "site_webhook_test": (302, 405, 405, 405, 405, 405),
    "site_webhooks": (302, 403, 403, 403, 403, 200),
    "shelf": (302, 404, 200, 200, 200, 200),
    "shelf_add": (302, 405, 405, 405, 405, 405),
    "shelf_isbn": (302, 200, 200, 200, 200, 200),
    "token_list": (302, 200, 200, 200, 200, 200),
    "token_new": (302, 405, 405, 405, 405, 405),
    "token_revoke": (302, 405, 405, 405, 405, 405),
    "town_options": (200, 200, 200, 200, 200, 200),
    "webhook_delete": (302, 405, 405, 405, 405, 405),
    "webhook_detail": (302, 404, 404, 404, 200, 200),
    "webhook_new": (302, 404, 404, 404, 200, 200),
    "webhook_test": (302, 405, 405, 405, 405, 405),
    # Programs: a host's Vibes cohort in the congregation; the member has a place in it.
    "cohort_create": (302, 404, 404, 404, 200, 200),
    "cohort_detail": (200, 200, 200, 200, 200, 200),
    "cohort_formation_open": (302, 405, 405, 405, 405, 405),
    "cohort_leave": (302, 405, 405, 405, 405, 405),
    "cohort_seat_answer": (302, 405, 405, 405, 405, 405),
    "cohort_session": (302, 404, 200, 404, 200, 200),
    "cohort_signup": (302, 405, 405, 405, 405, 405),
    "module_add": (302, 404, 404, 404, 200, 200),
    "module_edit": (302, 404, 404, 404, 200, 200),
    "pathway": (302, 200, 200, 200, 200, 200),
    "program_copy": (302, 405, 405, 405, 405, 405),
    "program_detail": (200, 200, 200, 200, 200, 200),
    "program_list": (200, 200, 200, 200, 200, 200),
    "treasurer_add": (302, 405, 405, 405, 405, 405),
    "treasurer_remove": (302, 405, 405, 405, 405, 405),
}


def observed_pages(world) -> dict[str, list[int]]:
    by_role = clients(world)
    urls = {name: route_url(name, world) for name in sorted(named_routes())}
    return {
        name: [by_role[role].get(url).status_code for role in ROLES] for name, url in urls.items()
    }


def test_the_admin_sends_everyone_but_staff_to_its_login(world):
    by_role = clients(world)
    for role in ("anonymous", "outsider", "member", "crew", "host"):
        for url in (
            "/admin/",
            "/admin/people/person/",
            "/admin/groups/group/",
            "/admin/groups/membership/",
            "/admin/people/apitoken/",
        ):
            answer = by_role[role].get(url)
            assert answer.status_code == 302, (role, url)
            assert answer["Location"].startswith("/admin/login/"), (role, url)


@pytest.mark.django_db
def test_every_named_route_has_a_row_in_the_matrix():
    assert sorted(set(named_routes()) - set(PAGES)) == [], ADD_A_ROW
    assert sorted(set(PAGES) - set(named_routes())) == [], "remove the route's row from PAGES"


def test_every_route_answers_each_role_as_the_matrix_says(world):
    rows = observed_pages(world)
    if os.environ.get("MATRIX_PRINT"):
        print_table("PAGES", rows)
    for answers in rows.values():
        assert 500 not in answers
    wrong = {
        name: {"expected": PAGES.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if PAGES.get(name) != tuple(answers)
    }
    assert wrong == {}
