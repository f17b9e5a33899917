"""Near-duplicates of synthetic proposals: the same text reworded, for the similarity benchmark and
its test. Side-effect free (importable from tests)."""

import re

from responses import synthetic

TOPICS = sorted((topic for topic, _, _ in synthetic.TOPICS), key=len, reverse=True)


def sentences(text):
    return [part for part in re.split(r"(?<=[。！？\n])", text) if part.strip()]


def near_duplicate(title, body, rng):
    """Another title template on the same topic and place pool, over the body's sentences shuffled:
    what a second member filing "the same" proposal looks like."""
    topic = next((t for t in TOPICS if t in title), "")
    templates = [t for t in synthetic.TITLE_TEMPLATES if t.format(t=topic, p="{p}") != title]
    new_title = rng.choice(templates).format(t=topic, p=rng.choice(synthetic.PLACES))
    parts = sentences(body)
    rng.shuffle(parts)
    return new_title, "".join(parts)
