"""The permission matrix for actions: every named route, sent a POST as every role.

Each role posts a valid body (what the page's own form would send, see `post_body`) to the
same world: every request runs in a transaction that is then undone, so one role's action is
never seen by the next. A cell is the status, with "+" when the database changed: "302+"
acted, "302" did nothing (refused, or nothing to do). So a row says who may act and that a
refused POST changes nothing. Routes that only show a page answer 405 or render it again.
Set MATRIX_PRINT=1 to print the observed table (to review a change, never to paste blindly).
"""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from matrix_support import (
    ADD_A_ROW,
    ROLES,
    changes_to,
    client_for,
    fingerprint,
    mark,
    named_routes,
    print_table,
    route_url,
)

# name: (anonymous, outsider, member, crew member, host, staff); "+" means it acted.
POSTS: dict[str, tuple[str, ...]] = {
    "account_change_password": ("302", "200", "200", "200", "200", "200"),
    "account_confirm_login_code": ("302", "302", "302", "302", "302", "302"),
    "account_email": ("302", "302+", "302+", "302+", "302+", "302+"),
    "account_email_verification_sent": ("302", "302", "302", "302", "302", "302"),
    "account_inactive": ("405", "405", "405", "405", "405", "405"),
    "account_login": ("200", "302", "302", "302", "302", "302"),
    "account_logout": ("302", "302", "302", "302", "302", "302"),
    "account_reauthenticate": ("302", "200", "200", "200", "200", "200"),
    "account_request_login_code": ("200", "302", "302", "302", "302", "302"),
    "account_reset_password": ("200", "200", "200", "200", "200", "200"),
    "account_reset_password_done": ("405", "405", "405", "405", "405", "405"),
    "account_reset_password_from_key": ("200", "200", "200", "200", "200", "200"),
    "account_reset_password_from_key_done": ("405", "405", "405", "405", "405", "405"),
    "account_set_password": ("302", "302", "302", "302", "302", "302"),
    "account_signup": ("302+", "302", "302", "302", "302", "302"),
    "agenda_detail": ("200", "200", "200", "200", "200", "200"),
    "agenda_interest": ("302", "302", "302", "302+", "302+", "302+"),
    "agenda_place": ("302", "302", "302", "302", "302+", "302+"),
    "agenda_print": ("200", "200", "200", "200", "200", "200"),
    "agenda_propose": ("302", "400", "302+", "302+", "302+", "302+"),
    "agenda_rooms": ("302", "400", "400", "400", "302+", "302+"),
    "agenda_unplace": ("302", "302", "302", "302", "302+", "302+"),
    "chat_rule_delete": ("302", "404", "404", "404", "302+", "302+"),
    "chat_rule_new": ("302", "404", "404", "404", "200", "200"),
    "chat_rule_test": ("302", "404", "404", "404", "302+", "302+"),
    "congregation_crewing": ("302", "404", "200", "200", "200", "200"),
    "contribute": ("200", "200", "200", "200", "200", "200"),
    "contribute_edit": ("302", "403", "403", "403", "302+", "302+"),
    "copy_detail": ("302", "404", "200", "200", "200", "200"),
    "copy_hand_over": ("302", "404", "302", "302", "302", "302"),
    "copy_remove": ("302", "404", "302", "302", "302", "302"),
    "copy_request": ("302", "404", "302", "302", "302", "302"),
    "copy_withdraw": ("302", "404", "302+", "302", "302", "302"),
    "crew_call_answer": ("302", "404", "302+", "302", "302", "404"),
    "crew_call_create": ("302", "404", "302+", "302+", "302+", "302+"),
    "crew_call_detail": ("302", "404", "200", "200", "200", "404"),
    "crew_call_edit": ("302", "404", "302+", "404", "404", "404"),
    "crew_call_form": ("302", "404", "302+", "302", "302", "404"),
    "crew_call_interest": ("302", "404", "302", "302", "302+", "404"),
    "crew_call_interest_withdraw": ("302", "404", "302", "302+", "302", "404"),
    "crew_call_withdraw": ("302", "404", "302+", "302", "302", "404"),
    "crew_cycles": ("302", "404", "404", "302", "404", "404"),
    "crew_leave": ("302", "404", "404", "302+", "404", "404"),
    "cycle_detail": ("302", "404", "404", "200", "404", "404"),
    "digest_off": ("200", "200", "200", "200", "200", "200"),
    "digest_settings": ("302", "302+", "302+", "302+", "302+", "302+"),
    "dyad_propose": ("302", "302", "302", "302+", "302+", "302"),
    "dyads_checkin": ("302", "404", "404", "302+", "404", "404"),
    "dyads_home": ("302", "200", "200", "200", "200", "200"),
    "dyads_opt_in": ("302", "404", "302+", "302", "302+", "302"),
    "dyads_opt_out": ("302", "404", "302", "302+", "302", "302"),
    "dyads_outcome": ("302", "302", "302", "302+", "302", "302"),
    "dyads_outcome_link": ("200+", "200+", "200+", "200+", "200+", "200+"),
    "dyads_program": ("302", "404", "404", "404", "302+", "302+"),
    "federation_event": ("405", "405", "405", "405", "405", "405"),
    "federation_group": ("405", "405", "405", "405", "405", "405"),
    "federation_group_followers": ("405", "405", "405", "405", "405", "405"),
    # A form body is no activity: refused before any signature is looked at.
    "federation_group_inbox": ("400", "400", "400", "400", "400", "400"),
    "federation_group_outbox": ("405", "405", "405", "405", "405", "405"),
    "federation_instance": ("405", "405", "405", "405", "405", "405"),
    "federation_instance_inbox": ("400", "400", "400", "400", "400", "400"),
    "federation_instance_outbox": ("405", "405", "405", "405", "405", "405"),
    "federation_shared_inbox": ("400", "400", "400", "400", "400", "400"),
    "federation_webfinger": ("405", "405", "405", "405", "405", "405"),
    "feed_reset": ("302", "302+", "302+", "302+", "302+", "302+"),
    "feed_revoke": ("302", "302", "302+", "302", "302", "302"),
    "feed_settings": ("302", "200", "200", "200", "200", "200"),
    "gathering_buddy_ask": ("302", "302+", "302+", "302+", "302+", "302+"),
    "gathering_buddy_offer": ("302", "302", "302+", "302+", "302+", "302"),
    "gathering_budget": ("302", "404", "404", "404", "404", "404"),
    "gathering_cancel": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_create": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_detail": ("200", "200", "200", "200", "200", "200"),
    "gathering_edit": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_feed": ("405", "405", "405", "405", "405", "405"),
    "gathering_host_add": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_host_remove": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_list": ("200", "200", "200", "200", "200", "200"),
    "gathering_registrations_csv": ("302", "403", "403", "403", "200", "200"),
    "gathering_slot_create": ("302", "403", "403", "403", "302+", "302+"),
    "gathering_slot_delete": ("302", "302", "302", "302", "302+", "302+"),
    "gathering_slot_signup": ("302", "302", "302+", "302", "302+", "302"),
    "gathering_slot_withdraw": ("302", "302", "302", "302+", "302", "302"),
    "gathering_volunteer": ("200", "200", "200", "200", "200", "200"),
    "group_accept": ("302", "302", "302", "302", "302", "302"),
    "group_create": ("302", "200", "302+", "302+", "302+", "302+"),
    "group_decline": ("302", "302", "302", "302", "302", "302"),
    "group_detail": ("200", "200", "200", "200", "200", "200"),
    "group_edit": ("302", "302", "302", "302", "302+", "302+"),
    "group_feed": ("405", "405", "405", "405", "405", "405"),
    "group_invite": ("302", "302", "302", "302", "302+", "302+"),
    "group_join": ("302", "302", "302", "302", "302", "302"),
    "group_leave": ("302", "302", "302+", "302+", "302+", "302"),
    "group_list": ("200", "200", "200", "200", "200", "200"),
    "group_members": ("302", "403", "200", "200", "200", "200"),
    "group_membership_manage": ("302", "302", "302", "302", "302+", "302+"),
    "group_pause": ("302", "302", "302+", "302+", "302+", "302"),
    "group_request": ("302", "302+", "302", "302", "302", "302+"),
    "group_request_answer": ("302", "302", "302", "302", "302+", "302+"),
    "group_rotate_host": ("302", "302", "302", "302", "302", "302"),
    "group_withdraw": ("302", "302", "302", "302", "302", "302"),
    "helping": ("302", "200", "200", "200", "200", "200"),
    "healthz": ("405", "405", "405", "405", "405", "405"),
    "home": ("200", "200", "200", "200", "200", "200"),
    "invitation_open": ("302", "403", "403", "403", "403", "403"),
    "journal_delete_all": ("302", "302", "302+", "302", "302", "302"),
    "journal_entry_create": ("302", "302+", "302+", "302+", "302+", "302+"),
    "journal_entry_delete": ("302", "404", "302+", "404", "404", "404"),
    "journal_entry_detail": ("302", "404", "200", "404", "404", "404"),
    "journal_entry_edit": ("302", "404", "302+", "404", "404", "404"),
    "journal_export": ("302", "200", "200", "200", "200", "200"),
    "journal_home": ("302", "200", "200", "200", "200", "200"),
    "journal_part_create": ("302", "302+", "302+", "302+", "302+", "302+"),
    "journal_part_delete": ("302", "404", "302+", "404", "404", "404"),
    "journal_part_edit": ("302", "404", "302+", "404", "404", "404"),
    "ledger": ("200", "200", "200", "200", "200", "200"),
    "ledger_import": ("302", "403", "403", "200", "403", "403"),
    "loan_return": ("302", "404", "403", "403", "302+", "403"),
    "library_book": ("200", "200", "200", "200", "200", "200"),
    "library_book_create": ("302", "403", "403", "403", "403", "302+"),
    "library_book_edit": ("302", "403", "403", "403", "403", "302+"),
    "library_book_epub": ("404", "404", "404", "404", "404", "404"),
    "library_book_pdf": ("404", "404", "404", "404", "404", "404"),
    "library_book_progress": ("200", "200", "200", "200", "200", "200"),
    "library_book_rebuild": ("302", "403", "403", "403", "403", "302+"),
    "library_episode": ("200", "200", "200", "200", "200", "200"),
    "library_episode_create": ("302", "403", "403", "403", "403", "200"),
    "library_episode_edit": ("302", "403", "403", "403", "403", "302+"),
    "library_essay": ("200", "200", "200", "200", "200", "200"),
    "library_essay_create": ("302", "403", "403", "403", "403", "302+"),
    "library_essay_edit": ("302", "403", "403", "403", "403", "302+"),
    "library_essay_markdown": ("200", "200", "200", "200", "200", "200"),
    "library_group_reading_lists": ("200", "200", "200", "200", "200", "200"),
    "library_home": ("200", "200", "200", "200", "200", "200"),
    "library_podcast": ("200", "200", "200", "200", "200", "200"),
    "library_podcast_feed": ("200", "200", "200", "200", "200", "200"),
    "library_reading_item_add": ("302", "404", "404", "404", "302+", "302+"),
    "library_reading_item_move": ("302", "404", "404", "404", "302", "302"),
    "library_reading_item_remove": ("302", "404", "404", "404", "302+", "302+"),
    "library_reading_list": ("200", "200", "200", "200", "200", "200"),
    "library_reading_list_create": ("302", "302", "302", "302", "302+", "302+"),
    "library_search": ("200", "200", "200", "200", "200", "200"),
    "library_video": ("200", "200", "200", "200", "200", "200"),
    "library_video_create": ("302", "403", "403", "403", "403", "302+"),
    "meeting_attendance": ("302", "404", "404", "302+", "404", "404"),
    "meeting_detail": ("302", "404", "404", "200", "404", "404"),
    "meeting_template_create": ("302", "404", "404", "404", "302+", "302+"),
    "moderation_act": ("302", "403", "403", "403", "302+", "302+"),
    "moderation_dismiss": ("302", "403", "403", "403", "302+", "302+"),
    "moderation_log": ("302", "403", "403", "403", "200", "200"),
    "moderation_mine": ("302", "200", "200", "200", "200", "200"),
    "moderation_notice": ("302+", "302+", "302+", "302+", "302+", "302+"),
    "moderation_queue": ("302", "403", "403", "403", "200", "200"),
    "moderation_report": ("302", "404", "302+", "302+", "302+", "404"),
    "moderation_respond": ("302", "404", "302+", "404", "404", "404"),
    "moderation_reverse": ("302", "403", "403", "403", "302+", "302+"),
    "newsletter_confirm": ("302", "302", "302", "302", "302", "302"),
    "newsletter_issue": ("302", "404", "404", "404", "302+", "302+"),
    "newsletter_issue_delete": ("302", "404", "404", "404", "302+", "302+"),
    "newsletter_issue_new": ("302", "404", "404", "404", "302+", "302+"),
    "newsletter_issue_send": ("302", "404", "404", "404", "302+", "302+"),
    "newsletter_subscribe": ("302+", "302+", "302+", "302+", "302+", "302+"),
    "newsletter_unsubscribe": ("200+", "200+", "200+", "200+", "200+", "200+"),
    "network_calendar": ("405", "405", "405", "405", "405", "405"),
    "network_directory": ("405", "405", "405", "405", "405", "405"),
    "network_federation": ("302", "404", "404", "404", "404", "302+"),
    "network_listing_edit": ("302", "302", "302", "302", "302+", "302+"),
    "network_map": ("405", "405", "405", "405", "405", "405"),
    # Nobody in the world has a town on their profile: each is told to add one first.
    "network_map_choice": ("302", "302", "302", "302", "302", "302"),
    "notification_list": ("302", "200", "200", "200", "200", "200"),
    "notification_open": ("302", "404", "302+", "404", "404", "404"),
    "notification_settings": ("302", "200", "200", "200", "200", "200"),
    "notifications_read": ("302", "302", "302+", "302+", "302+", "302"),
    "occurrence_cancel": ("302", "302", "302", "302", "302+", "302+"),
    "occurrence_detail": ("200", "200", "200", "200", "200", "200"),
    "occurrence_feed": ("405", "405", "405", "405", "405", "405"),
    "occurrence_move": ("302", "302", "302", "302", "302+", "302+"),
    "occurrence_registrations_csv": ("302", "403", "403", "403", "200", "200"),
    "outreach_home": ("302", "404", "404", "404", "200", "200"),
    "person_detail": ("302", "200", "200", "200", "200", "200"),
    "person_feed": ("405", "405", "405", "405", "405", "405"),
    "pledge_end": ("302", "302", "302+", "302", "302", "302"),
    "pledge_list": ("302", "403", "403", "200", "403", "403"),
    "pledge_save": ("302", "302", "302+", "302+", "302+", "302"),
    "poll_close": ("302", "404", "302", "302", "302+", "302+"),
    "poll_create": ("302", "403", "302+", "302+", "302+", "302+"),
    "poll_detail": ("404", "404", "302+", "302+", "302+", "302+"),
    "poll_find_time": ("302", "403", "302+", "302+", "302+", "302+"),
    "poll_list": ("302", "403", "200", "200", "200", "200"),
    "profile_edit": ("302", "302+", "302+", "302+", "302+", "302+"),
    "retrospective_close": ("302", "404", "404", "302+", "404", "404"),
    "retrospective_submit": ("302", "404", "404", "302+", "404", "404"),
    "rights_account_delete": ("302", "302+", "302+", "302+", "302+", "302+"),
    "rights_delete_cancel": ("302", "302", "302", "302", "302", "302"),
    "rights_export": ("302", "200", "200", "200", "200", "200"),
    "rights_my_data": ("302", "200", "200", "200", "200", "200"),
    "round_cancel": ("302", "404", "404", "404", "302+", "302+"),
    "round_create": ("302", "404", "404", "404", "200", "200"),
    "round_detail": ("302", "404", "200", "200", "200", "200"),
    "round_form": ("302", "404", "404", "404", "302+", "302+"),
    "round_join": ("302", "404", "302+", "302+", "302+", "404"),
    "round_leave": ("302", "404", "302+", "302+", "302", "302"),
    "round_list": ("302", "404", "200", "200", "200", "200"),
    "round_move": ("302", "404", "404", "404", "302", "302"),
    "round_pin": ("302", "404", "404", "404", "302+", "302+"),
    "round_progress": ("302", "404", "200", "200", "200", "200"),
    "round_publish": ("302", "404", "404", "404", "302", "302"),
    "round_sizes": ("302", "404", "404", "404", "302+", "302+"),
    "round_unpin": ("302", "404", "404", "404", "302+", "302+"),
    "rsvp_answer": ("302", "302+", "302+", "302", "302+", "302+"),
    "series_follow": ("302", "302", "302", "302", "302", "302"),
    "site_webhook_delete": ("302", "403", "403", "403", "403", "302+"),
    "site_webhook_detail": ("302", "403", "403", "403", "403", "200"),
    "site_webhook_test": ("302", "403", "403", "403", "403", "302+"),
    "site_webhooks": ("302", "403", "403", "403", "403", "200"),
    "shelf": ("302", "404", "200", "200", "200", "200"),
    "shelf_add": ("302", "404", "302+", "302+", "302+", "400"),
    "shelf_isbn": ("302", "200", "200", "200", "200", "200"),
    "token_list": ("302", "200", "200", "200", "200", "200"),
    "token_new": ("302", "200+", "200+", "200+", "200+", "200+"),
    "token_revoke": ("302", "302", "302+", "302", "302", "302"),
    "town_options": ("405", "405", "405", "405", "405", "405"),
    "webhook_delete": ("302", "404", "404", "404", "302+", "302+"),
    "webhook_detail": ("302", "404", "404", "404", "200", "200"),
    "webhook_new": ("302", "404", "404", "404", "200", "200"),
    "webhook_test": ("302", "404", "404", "404", "302+", "302+"),
    # Programs. Anyone who sees the cohort may apply; the member already has a place, the
    # host facilitates. The formation round is refused before the last module (no change).
    "cohort_create": ("302", "404", "404", "404", "302+", "302+"),
    "cohort_detail": ("200", "200", "200", "200", "200", "200"),
    "cohort_formation_open": ("302", "404", "404", "404", "302", "302"),
    "cohort_leave": ("302", "302", "302+", "302", "302", "302"),
    "cohort_seat_answer": ("302", "404", "404", "404", "302+", "302+"),
    "cohort_session": ("302", "404", "200", "404", "200", "200"),
    "cohort_signup": ("302", "302+", "302", "302+", "302", "302+"),
    "module_add": ("302", "404", "404", "404", "302+", "302+"),
    "module_edit": ("302", "404", "404", "404", "302+", "302+"),
    "pathway": ("302", "302+", "302+", "302+", "302+", "302+"),
    "program_copy": ("302", "404", "404", "404", "302+", "302+"),
    "program_detail": ("200", "200", "200", "200", "200", "200"),
    "program_list": ("200", "200", "200", "200", "200", "200"),
    "treasurer_add": ("302", "302", "302", "302", "302+", "302+"),
    "treasurer_remove": ("302", "302", "302", "302", "302", "302"),
}


def _local(moment) -> str:
    return timezone.localtime(moment, timezone.UTC).strftime("%Y-%m-%dT%H:%M")


def _form_body(form) -> dict:
    """What a browser sends for an unchanged form: every field's current value."""
    body = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        body[field.html_name] = "on" if value is True else value
    return body


def post_body(name: str, world) -> dict:
    """A valid body for the route's form, as its page would send it."""
    from microsolidarity.crewing.round_forms import RoundOpenForm
    from microsolidarity.gatherings.forms import GatheringForm
    from microsolidarity.groups.forms import GroupForm
    from microsolidarity.people.forms import ProfileForm

    people = world["people"]
    soon = timezone.now() + timedelta(days=10)
    session = world["session"].pk
    if name == "gathering_create":
        return {
            "group": world["congregation"].slug,
            "title": "Morning walk",
            "kind": "gathering",
            "mode": "online",
            "timezone": "UTC",
            "starts": _local(soon),
            "ends": _local(soon + timedelta(hours=1)),
            "repeat": "once",
            "audience": "public",
        }
    if name == "gathering_edit":
        body = _form_body(GatheringForm(gathering=world["gathering"]))
        return {**body, "title": "Evening circle, renamed"}
    if name == "group_edit":
        congregation = world["congregation"]
        body = _form_body(GroupForm(instance=congregation, scale=congregation.scale))
        return {**body, "description": "By the river."}
    if name == "round_create":
        body = _form_body(RoundOpenForm(congregation=world["congregation"]))
        return {**body, "title": "Autumn crews"}
    if name == "profile_edit":
        member = people["member"]
        body = _form_body(ProfileForm(instance=member.profile, person=member))
        return {**body, "display_name": "A new name"}
    bodies = {
        "account_signup": {
            "email": "newcomer@example.org",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "display_name": "Newcomer",
        },
        "agenda_interest": {"interested": "1"},
        "network_listing_edit": {
            "listed": "on",
            "town": "Lisbon, Portugal",
            "rhythm": "Monthly",
            "federated": "on",
        },
        "network_map_choice": {"on_map": "1"},
        "network_federation": {"action": "block", "domain": "spam.example", "reason": "spam"},
        "agenda_place": {
            f"s{session}-starts": _local(world["occurrence"].starts_at + timedelta(minutes=30)),
            f"s{session}-minutes": "45",
        },
        "agenda_propose": {"title": "Walk and talk"},
        "agenda_rooms": {"rooms": "Garden\nKitchen"},
        "crew_call_answer": {"answer": "accept"},
        "crew_call_create": {
            "intention": "A crew for cooks",
            "rhythm": "weekly",
            "meeting_minutes": "75",
            "caller_timezone": "UTC",
            "size_min": "3",
            "size_max": "5",
        },
        "crew_call_edit": {
            "intention": "A crew for gardeners and cooks",
            "rhythm": "weekly",
            "meeting_minutes": "90",
            "caller_timezone": "UTC",
            "size_min": "2",
            "size_max": "5",
        },
        "crew_call_form": {"name": "Garden Crew", "first_meeting_at": _local(soon)},
        "crew_call_interest": {"message": "Count me in."},
        "cohort_create": {
            "first_session_at": _local(soon),
            "host_timezone": "UTC",
            "session_days": ["MO", "WE", "FR"],
            "session_minutes": "90",
            "capacity": "12",
        },
        "cohort_seat_answer": {"answer": "accept"},
        "cohort_signup": {"answer": "To find a crew."},
        "module_add": {"title": "A sixth module", "practices": "10 | Arrive | everyone |"},
        "module_edit": {"title": "Why small groups, again"},
        "pathway": {"listening": "2", "note": "Mine."},
        "program_copy": {"template": "crewing", "owner": world["congregation"].slug},
        "dyads_checkin": {"spoke": "3", "decided": "3", "carried": "4", "felt": "3"},
        "dyads_outcome": {"outcome": "met"},
        "dyads_program": {"every_weeks": "4", "prompts": "What did you learn?", "active": "on"},
        "gathering_cancel": {"note": "Rain."},
        "gathering_host_add": {"email": world["ivo"].email},
        "group_create": {
            "name": "Cooking Crew",
            "join_policy": "open",
            "visibility": "public",
            "status": "active",
            "timezone": "UTC",
        },
        "group_invite": {"email": people["outsider"].email},
        "group_membership_manage": {"action": "co_host"},
        "group_pause": {"paused": "1"},
        "group_request": {"message": "May I join?"},
        "group_request_answer": {"answer": "approve"},
        "journal_delete_all": {"confirm": "delete"},
        "journal_entry_create": {"text": "A new entry."},
        "journal_entry_edit": {"text": "Changed."},
        "journal_part_create": {"name": "The brave one"},
        "journal_part_edit": {"name": "The rested one"},
        "library_book_create": {"title": "Another", "language": "en", "essays": "scales"},
        "library_book_edit": {"title": "Renamed", "language": "en", "essays": "scales"},
        "library_episode_edit": {"title": "Renamed", "show_notes": "Notes."},
        "library_essay_create": {
            "title": "New essay",
            "author": "A",
            "licence": "CC-BY-SA-4.0",
            "language": "en",
            "body": "Words.",
        },
        "library_essay_edit": {
            "title": "Scales",
            "author": "A",
            "licence": "CC-BY-SA-4.0",
            "language": "en",
            "body": "Changed words.",
        },
        "library_reading_item_add": {"link_url": "https://example.org/x", "link_title": "X"},
        "library_reading_item_move": {"up": "1"},
        "library_reading_list_create": {"title": "For crews"},
        "library_video_create": {
            "title": "Another",
            "url": "https://vimeo.com/654321",
            "licence": "CC-BY-SA-4.0",
        },
        "meeting_attendance": {"present": [people["crew"].pk, world["founder"].pk]},
        "meeting_template_create": {
            "name": "Fishbowl",
            "steps": "5 | Arrive | everyone | One breath each\n40 | Talk | focus |",
        },
        "chat_rule_new": {"service": "discord", "url": "https://127.0.0.1/api/webhooks/1/x"},
        "digest_settings": {"frequency": "weekly", "gatherings": "on"},
        "newsletter_issue": {"subject": "News, again", "body": "Hello", "segment": "subscribers"},
        "newsletter_issue_new": {"subject": "News", "body": "Hello", "segment": "subscribers"},
        "newsletter_issue_send": {"expected_count": "1"},
        "newsletter_subscribe": {"email": "another@example.org"},
        "webhook_new": {
            "name": "Tools",
            "url": "https://127.0.0.1/hook",
            "event_types": ["gathering.created"],
        },
        "moderation_act": {"person": world["ivo"].pk, "kind": "pause", "reason": "Shouting."},
        "moderation_report": {
            "group": world["congregation"].slug,
            "person": world["ivo"].pk,
            "reason": "Rude to a newcomer.",
        },
        "moderation_notice": {"action": world["action"].pk, "text": "I see it differently."},
        "moderation_respond": {"text": "I see it differently."},
        "occurrence_cancel": {"note": "Rain."},
        "occurrence_move": {"starts": _local(soon), "note": "A week later."},
        "poll_close": {"slot": world["poll"].slots.get().pk},
        "poll_create": {
            "title": "When shall we cook?",
            "timezone": "UTC",
            "slots-TOTAL_FORMS": "1",
            "slots-INITIAL_FORMS": "0",
            "slots-0-day": f"{soon:%Y-%m-%d}",
            "slots-0-starts": "18:00",
            "slots-0-ends": "19:00",
        },
        "poll_detail": {f"slot-{world['poll'].slots.get().pk}": "yes"},
        "poll_find_time": {
            "title": "When shall we cook?",
            "duration": "60",
            "starts": soon.replace(minute=0, second=0, microsecond=0).isoformat(),
        },
        "retrospective_submit": {"worked": "Listening.", "choice": "continue"},
        "rights_account_delete": {"password": "a-long-test-password"},
        "round_join": {
            "timezone": "Europe/Berlin",
            "languages": "en, de",
            "interests": "cooking",
            "availability": "mon-fri 07:00-09:00",
        },
        "round_pin": {
            "first": people["member"].pk,
            "second": people["crew"].pk,
            "kind": "apart",
        },
        "round_publish": {"version": world["round"].proposal_version},
        "round_sizes": {"size_min": "3", "size_max": "5"},
        "rsvp_answer": {"state": "going"},
        "series_follow": {"follow": "1"},
        "token_new": {"name": "my script"},
        "contribute_edit": {"intro": "Rent and tea.", "currency": "EUR"},
        "gathering_budget": {"amount": "300", "currency": "EUR", "tag": "camp"},
        "gathering_buddy_ask": {"note": "First time."},
        "gathering_slot_create": {"role": "note_taker", "count": "1"},
        "gathering_slot_signup": {"occurrence": world["occurrence"].pk},
        "gathering_slot_withdraw": {"occurrence": world["occurrence"].pk},
        "pledge_save": {"amount": "15", "rhythm": "monthly"},
        "shelf_add": {"title": "Pedagogy of Hope", "terms": "lend", "loan_days": "28"},
        "treasurer_add": {"email": world["ivo"].email},
    }
    return bodies.get(name, {})


def observed_posts(world) -> dict[str, list[str]]:
    before = fingerprint()
    rows = {}
    for name in sorted(named_routes()):
        url = route_url(name, world)
        body = post_body(name, world)
        row = []
        for role in ROLES:
            # A fresh sign-in each time: posting to the sign-out route must not leak.
            client = client_for(role, world)
            with changes_to(before) as changed:
                status = client.post(url, body).status_code
            row.append(mark(status, changed))
        rows[name] = row
    return rows


@pytest.mark.django_db
def test_every_named_route_has_a_row_in_the_post_matrix():
    assert sorted(set(named_routes()) - set(POSTS)) == [], ADD_A_ROW
    assert sorted(set(POSTS) - set(named_routes())) == [], "remove the route's row from POSTS"


def test_every_route_acts_for_each_role_as_the_post_matrix_says(world):
    rows = observed_posts(world)
    if os.environ.get("MATRIX_PRINT"):
        print_table("POSTS", rows)
    for answers in rows.values():
        assert not any(answer.startswith("500") for answer in answers)
    wrong = {
        name: {"expected": POSTS.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if POSTS.get(name) != tuple(answers)
    }
    assert wrong == {}
