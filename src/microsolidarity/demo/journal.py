"""The demo accounts' own parts journals: a few named parts and some weeks of entries, more
than one page of them, so signing in as either shows what a kept journal looks like. Only
these two accounts have one: a journal is its author's alone."""

import random
from datetime import timedelta

from django.utils import timezone

from microsolidarity.journal.models import Entry
from microsolidarity.journal.prompts import Prompt
from microsolidarity.journal.services import entry_create, part_create
from microsolidarity.people.models import Person

PARTS = (
    ("The planner", "Makes lists when the week feels loose. Means well; rarely rests."),
    ("The critic", "Speaks up before I share anything with the crew."),
    ("The one who wants to rest", "Quiet, and easy to overrule."),
)
REFLECTIONS = (
    "The call ran long and I noticed the planner taking notes the whole time, as if the "
    "evening would fall apart without them.",
    "I said less than I meant to in our check-in. The critic had a whole speech ready about "
    "how my question was too small to bring.",
    "A slow morning. I let the one who wants to rest have an hour and the day went better "
    "than the list predicted.",
    "My partner asked a question and waited. I felt the urge to fill the silence and did "
    "not. It was easier than I thought.",
    "Hosting tonight felt like setting a table more than running a meeting. I liked that.",
    "I caught myself agreeing to a third evening this week. Who in me said yes so quickly?",
    "We tried the listening round again. When it was my turn I spoke about the move, and "
    "nobody tried to fix it.",
    "Tired, a little raw. Writing it down so it does not follow me into sleep.",
    "The critic softened today when I thanked it for trying to keep me from looking foolish.",
    "Someone new came to the congregation call and I remembered my own first time.",
    "I took more than my share of the time in the crew. Next week I will ask first.",
    "A good walk after the gathering, and a long talk about what leadership as hospitality "
    "would mean at work.",
)
PROMPTS = [prompt for prompt in Prompt if prompt.value]
ENTRIES_EACH = 24  # more than a page (journal.views.ENTRIES_ON_A_PAGE)


def demo_journal_load(*, emails: list[str], seed: int = 2026) -> int:
    rng = random.Random(seed)
    now = timezone.now()
    written = 0
    for person in Person.objects.filter(email__in=emails).order_by("pk"):
        parts = [part_create(author=person, name=name, notes=notes) for name, notes in PARTS]
        for number in range(ENTRIES_EACH):
            named = rng.sample(parts, k=rng.choice((0, 1, 1, 2)))
            entry = entry_create(
                author=person,
                text=REFLECTIONS[(number + rng.randrange(3)) % len(REFLECTIONS)],
                prompt=rng.choice(PROMPTS).value if rng.random() < 0.4 else "",
                part_ids=[part.pk for part in named],
            )
            # Written over the past weeks, the oldest first, at evening hours.
            when = now - timedelta(days=2 * (ENTRIES_EACH - number), hours=rng.randrange(8))
            Entry.objects.filter(pk=entry.pk).update(written_at=when, updated_at=when)
            written += 1
    return written
