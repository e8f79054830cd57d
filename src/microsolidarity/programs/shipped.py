"""The program templates that ship with the platform, written in our own words.

Hosts copy one into their congregation or network (`programs.program_copy`) and adapt it;
the copy is theirs, so later changes here never rewrite a course someone is running.
Practices use crewing's meeting-format steps: minutes, title, who, guide.
"""

VIBES = {
    "key": "vibes",
    "title": "Vibes",
    "summary": (
        "Two weeks, five sessions, a small cohort: the ideas of microsolidarity tried out "
        "together, ending with everyone who wants one in a crew."
    ),
    "weeks": 2,
    "session_days": "MO,WE,FR",
    "session_minutes": 90,
    "modules": [
        {
            "title": "Why small groups",
            "text": (
                "We start with the shape of the thing. People belong at several sizes at "
                "once: with themselves, with one other person, in a crew of a handful, in a "
                "congregation of dozens, in a network of many. Each size is good for "
                "something different, and each needs its own care.\n\n"
                "In this first session you meet a few people one to one and notice what "
                "happens when someone listens to you without trying to fix anything."
            ),
            "practices": [
                {
                    "minutes": 10,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "Name, where you are, and one thing you hope this course gives you.",
                },
                {
                    "minutes": 30,
                    "title": "One to ones",
                    "who": "everyone",
                    "guide": "Three short rounds in pairs: one talks, one listens, then swap.",
                },
                {
                    "minutes": 15,
                    "title": "Quiet writing",
                    "who": "everyone",
                    "guide": "Write for yourself: when did you last feel you really belonged?",
                },
                {
                    "minutes": 25,
                    "title": "The five scales",
                    "who": "facilitators",
                    "guide": "A short talk, then questions: what is each size of group for?",
                },
                {
                    "minutes": 10,
                    "title": "Close",
                    "who": "everyone",
                    "guide": "One word each about how you leave.",
                },
            ],
            "readings": [
                {"title": "The microsolidarity handbook", "url": "https://microsolidarity.cc/"},
            ],
            "reflection_prompt": "Where in my life do I belong at each of the five sizes?",
        },
        {
            "title": "Crewing",
            "text": (
                "A crew is three to six people who meet regularly to help each other. It is "
                "small enough that everyone speaks every time, and large enough that one "
                "absence doesn't stop it.\n\n"
                "Today you try peer coaching: one person brings a real situation, the "
                "others listen and reflect back what they heard, without advice."
            ),
            "practices": [
                {
                    "minutes": 5,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "A breath each: how are you arriving?",
                },
                {
                    "minutes": 55,
                    "title": "Case Clinic in threes",
                    "who": "everyone",
                    "guide": "In breakout rooms of three or four: one case, mirrors, dialogue.",
                },
                {
                    "minutes": 20,
                    "title": "What helped",
                    "who": "everyone",
                    "guide": "Back together: what made the listening good? What got in the way?",
                },
                {
                    "minutes": 10,
                    "title": "Close",
                    "who": "facilitators",
                    "guide": "Say how crews will form at the end of the course.",
                },
            ],
            "readings": [
                {"title": "Crews, in the handbook", "url": "https://microsolidarity.cc/"},
            ],
            "reflection_prompt": "What kind of support would I ask a crew for, if I had one?",
        },
        {
            "title": "Congregations",
            "text": (
                "A congregation is the size where crews can form and re-form: a few dozen "
                "people who gather now and then, share what they have and know each other "
                "well enough to trust a stranger's friend.\n\n"
                "We picture together a congregation a year from now that we would want to "
                "belong to, and share the picture in threes."
            ),
            "practices": [
                {
                    "minutes": 10,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "What stayed with you from your breakout partner since last time?",
                },
                {
                    "minutes": 20,
                    "title": "A year from now",
                    "who": "everyone",
                    "guide": "Alone: imagine the best community you could be part of next year.",
                },
                {
                    "minutes": 35,
                    "title": "Share in threes",
                    "who": "everyone",
                    "guide": "Each tells their picture; the others say what they see in it.",
                },
                {
                    "minutes": 20,
                    "title": "Harvest",
                    "who": "facilitators",
                    "guide": "What did the pictures have in common? Note it for everyone.",
                },
                {"minutes": 5, "title": "Close", "who": "everyone", "guide": "One word each."},
            ],
            "readings": [
                {"title": "Congregations, in the handbook", "url": "https://microsolidarity.cc/"},
            ],
            "reflection_prompt": (
                "What would I bring to a congregation, and what would I want from it?"
            ),
        },
        {
            "title": "Leadership and engagement",
            "text": (
                "Leadership here is hospitality: a host makes a space and invites, and a "
                "guest is free to say no. Roles are temporary and rotate, so nobody carries "
                "a group alone for long.\n\n"
                "We practise a consulting round in threes on a real question about "
                "leading, and look at how power shows up even in small groups."
            ),
            "practices": [
                {
                    "minutes": 5,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "Who has hosted you well? One sentence.",
                },
                {
                    "minutes": 45,
                    "title": "Consulting in threes",
                    "who": "everyone",
                    "guide": (
                        "One asks for help; the other two talk about it as if they were not there."
                    ),
                },
                {
                    "minutes": 30,
                    "title": "Who spoke, who decided",
                    "who": "everyone",
                    "guide": (
                        "Look back at the last round: who spoke most, who steered, who carried?"
                    ),
                },
                {
                    "minutes": 10,
                    "title": "Close",
                    "who": "everyone",
                    "guide": "One thing you will try as a host.",
                },
            ],
            "readings": [
                {
                    "title": "Leadership as hospitality, in the handbook",
                    "url": "https://microsolidarity.cc/",
                },
            ],
            "reflection_prompt": "When I lead, how do I make it easy for others to say no?",
        },
        {
            "title": "Resources and practices, and crews",
            "text": (
                "The last session gathers what we have learnt and turns it into something "
                "that lasts: a crew. The formation round opens today. Say when you could "
                "meet, in your own time zone, and the platform proposes crews of people who "
                "share a time and a language. Your facilitators look the proposal over and "
                "publish it, with each crew's first meeting already in the calendar.\n\n"
                "We close with a retrospective of the course and a closing round."
            ),
            "practices": [
                {
                    "minutes": 10,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "What has changed for you over these two weeks?",
                },
                {
                    "minutes": 20,
                    "title": "Sign up for a crew",
                    "who": "everyone",
                    "guide": "Open the formation round and give your weekly times.",
                },
                {
                    "minutes": 30,
                    "title": "Retrospective",
                    "who": "everyone",
                    "guide": "What worked in this course, what did not, what you would change.",
                },
                {
                    "minutes": 20,
                    "title": "Practices to keep",
                    "who": "facilitators",
                    "guide": "The formats, prompts and readings crews can take with them.",
                },
                {
                    "minutes": 10,
                    "title": "Closing round",
                    "who": "everyone",
                    "guide": "A word of thanks to someone here.",
                },
            ],
            "readings": [
                {"title": "Practices, in the handbook", "url": "https://microsolidarity.cc/"},
            ],
            "reflection_prompt": "What do I want my first crew meeting to be about?",
        },
    ],
}

CREWING = {
    "key": "crewing",
    "title": "Crewing",
    "summary": (
        "Six weekly sessions for people who want to call, host and look after crews: kinds "
        "of crews, the caller's invitation, facilitation, and the end of a cycle."
    ),
    "weeks": 6,
    "session_days": "TH",
    "session_minutes": 75,
    "modules": [
        {
            "title": "Kinds of crews",
            "text": (
                "Support crews, learning crews, project crews: each asks for a different "
                "rhythm and a different promise. We look at crews members of the network "
                "have run and what each was for."
            ),
            "practices": [
                {
                    "minutes": 10,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "A crew you have been in, or wish you had been in.",
                },
                {
                    "minutes": 40,
                    "title": "Map of crews",
                    "who": "everyone",
                    "guide": "In threes, sort examples by purpose and by rhythm.",
                },
                {
                    "minutes": 20,
                    "title": "Share",
                    "who": "everyone",
                    "guide": "Which kind do you want to call?",
                },
                {
                    "minutes": 5,
                    "title": "Close",
                    "who": "facilitators",
                    "guide": "Name next week's breakout partners.",
                },
            ],
            "readings": [],
            "reflection_prompt": "What is the crew I most want to exist?",
        },
        {
            "title": "The caller's invitation",
            "text": (
                "Anyone may call a crew. A good call says what it is for, how often and how "
                "long it meets, until when, and what the agreements are. An invitation, "
                "never an assignment."
            ),
            "practices": [
                {"minutes": 10, "title": "Arrive", "who": "everyone", "guide": "One word each."},
                {
                    "minutes": 35,
                    "title": "Draft a call",
                    "who": "everyone",
                    "guide": "Write a call for the crew you imagined last week.",
                },
                {
                    "minutes": 25,
                    "title": "Read and respond",
                    "who": "everyone",
                    "guide": "In pairs: what would make you say yes to this call?",
                },
                {
                    "minutes": 5,
                    "title": "Close",
                    "who": "everyone",
                    "guide": "One thing you will change.",
                },
            ],
            "readings": [],
            "reflection_prompt": "What makes an invitation easy to accept, and easy to decline?",
        },
        {
            "title": "Finding a time",
            "text": (
                "The most common reason crews never meet is that nobody found a time. We "
                "look at weekly availability across time zones, and how the platform finds "
                "the first shared hour."
            ),
            "practices": [
                {
                    "minutes": 10,
                    "title": "Arrive",
                    "who": "everyone",
                    "guide": "Where and when are you?",
                },
                {
                    "minutes": 30,
                    "title": "Weekly times",
                    "who": "everyone",
                    "guide": "Write your weekly availability on your profile; compare in threes.",
                },
                {
                    "minutes": 30,
                    "title": "Rhythm",
                    "who": "everyone",
                    "guide": "Weekly, fortnightly, monthly: what each asks of people.",
                },
                {"minutes": 5, "title": "Close", "who": "everyone", "guide": "One word each."},
            ],
            "readings": [],
            "reflection_prompt": "What rhythm could I keep for six months?",
        },
        {
            "title": "Facilitating a meeting",
            "text": (
                "In a crew everyone hosts in turn. The host keeps time, holds the format "
                "and makes room for quiet voices. We practise hosting a Case Clinic."
            ),
            "practices": [
                {"minutes": 5, "title": "Arrive", "who": "everyone", "guide": "A breath each."},
                {
                    "minutes": 55,
                    "title": "Case Clinic",
                    "who": "everyone",
                    "guide": "One hosts, one brings a case, the others coach; then swap hosts.",
                },
                {
                    "minutes": 15,
                    "title": "Debrief",
                    "who": "everyone",
                    "guide": "What did hosting ask of you?",
                },
            ],
            "readings": [],
            "reflection_prompt": "What do I do when a group goes quiet?",
        },
        {
            "title": "When it gets hard",
            "text": (
                "Crews meet tension: one person talks too much, someone stops coming, the "
                "purpose drifts. We practise naming it kindly and early."
            ),
            "practices": [
                {"minutes": 10, "title": "Arrive", "who": "everyone", "guide": "One word each."},
                {
                    "minutes": 40,
                    "title": "Scenes",
                    "who": "everyone",
                    "guide": "In threes, play a hard moment and try two ways of naming it.",
                },
                {
                    "minutes": 20,
                    "title": "Balance check-in",
                    "who": "everyone",
                    "guide": "Who spoke, who decided, who carried: try the dyad check-in together.",
                },
                {"minutes": 5, "title": "Close", "who": "everyone", "guide": "One thing you take."},
            ],
            "readings": [],
            "reflection_prompt": "What tension do I tend to avoid naming?",
        },
        {
            "title": "The end of a cycle, and your crews",
            "text": (
                "A cycle ends with a retrospective: continue, pause, split or re-form. "
                "Splitting is normal. Today the formation round opens for this cohort, so "
                "you leave with a crew and its first meeting in your calendar."
            ),
            "practices": [
                {"minutes": 10, "title": "Arrive", "who": "everyone", "guide": "What has changed?"},
                {
                    "minutes": 20,
                    "title": "Sign up for a crew",
                    "who": "everyone",
                    "guide": "Open the formation round and give your weekly times.",
                },
                {
                    "minutes": 35,
                    "title": "Retrospective",
                    "who": "everyone",
                    "guide": "What worked in this course, what did not.",
                },
                {
                    "minutes": 10,
                    "title": "Closing round",
                    "who": "everyone",
                    "guide": "A word of thanks to someone here.",
                },
            ],
            "readings": [],
            "reflection_prompt": "What will I ask of my crew in its first cycle?",
        },
    ],
}

SHIPPED_PROGRAMS = (VIBES, CREWING)
