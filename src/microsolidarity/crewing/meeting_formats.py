"""The meeting formats that ship with the platform (written in our own words)."""

CASE_CLINIC = {
    "name": "Case Clinic",
    "description": (
        "Peer coaching for a crew of three to five: the focus person brings one real, "
        "current challenge; the others listen, mirror and think with them, without fixing. "
        "The host keeps time."
    ),
    "journal_prompt": "What moved in me while others mirrored my case, or someone else's?",
    "steps": [
        {
            "title": "Arrive",
            "minutes": 5,
            "who": "everyone",
            "guide": "One breath each: how are you arriving today?",
        },
        {
            "title": "The case",
            "minutes": 5,
            "who": "focus person",
            "guide": (
                "Describe one challenge you face now, what is at stake, and what help you hope for."
            ),
        },
        {
            "title": "Clarifying questions",
            "minutes": 5,
            "who": "coaches",
            "guide": "Ask only to understand better. No advice, no stories of your own.",
        },
        {
            "title": "Stillness",
            "minutes": 3,
            "who": "everyone",
            "guide": "Silence. Notice what images, feelings and words the case brings up in you.",
        },
        {
            "title": "Mirroring",
            "minutes": 10,
            "who": "coaches",
            "guide": (
                "Each coach offers back an image, a feeling or a question that arose. "
                "Short, tentative."
            ),
        },
        {
            "title": "What landed",
            "minutes": 5,
            "who": "focus person",
            "guide": "Say what struck you in the mirrors, and how you see your challenge now.",
        },
        {
            "title": "Thinking together",
            "minutes": 20,
            "who": "everyone",
            "guide": (
                "An open conversation towards new ways forward. "
                "The focus person leads where it goes."
            ),
        },
        {
            "title": "Closing words",
            "minutes": 7,
            "who": "focus person, then coaches",
            "guide": (
                "The focus person names a next step; each coach names what they take with them."
            ),
        },
        {
            "title": "Check out",
            "minutes": 5,
            "who": "host",
            "guide": "Confirm the next meeting, its focus person and its host. Thank each other.",
        },
    ],
}

SHIPPED_FORMATS = (CASE_CLINIC,)
