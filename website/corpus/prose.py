"""Synthetic prose for the benchmark corpus: names, titles and article bodies.

Everything comes from `random.Random` instances seeded by the caller, so the same seed gives the
same text on every machine (string seeds are hashed with SHA-512 by `random`, not with Python's
per-process hash).

Speed matters here: 100,000 bodies of ~1,500 words cannot each go through the Markdown renderer
in a few minutes. So `Prose` renders a pool of blocks once (paragraphs, headings, callouts,
lists, quote placements, article links …) with the real renderer, and `compose_body` builds each
article from blocks separated by blank lines. For these block kinds, rendering a body separated
that way gives exactly the rendered blocks joined together, and the plain text and word count
add up the same way; tests/website/test_seed_bench.py checks composed bodies against
`render_body` of their source, so a renderer change that breaks this is caught.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify

from articles.rendering import RenderedBody, render_body

from . import words as w

# An article link in a pooled block: the source names this slug and the HTML this id, and each
# use swaps in the real target (ids of real articles are far below this 64-bit value).
LINK_SLUG = "bench-link-target"
LINK_ID = 9_000_000_000_000
LINK_ATTRIBUTE = f'data-article-ref="{LINK_ID}"'

PARAGRAPHS = 1500
HEADINGS = 600
CALLOUT_TEXTS = 150
LISTS = 150
BLOCKQUOTES = 100
TABLES = 60
LINK_PARAGRAPHS = 200


@dataclass(frozen=True)
class Block:
    """One rendered piece of a body: its Markdown and what the renderer made of it."""

    source: str
    html: str
    text: str
    words: int
    toc: tuple[tuple[str, str], ...] = ()  # (anchor, title) of an h2
    article_ids: tuple[int, ...] = ()
    quote_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComposedBody:
    source: str
    rendered: RenderedBody


def render_block(source: str) -> Block:
    rendered = render_body(source, resolve_article=_resolve_link_placeholder)
    if rendered.warnings:  # a pooled block must be clean, or every body using it would not be
        raise ValueError(f"Benchmark block renders with warnings: {rendered.warnings}")
    return Block(
        source=source,
        html=rendered.html,
        text=rendered.text,
        words=rendered.word_count,
        toc=tuple((entry["id"], entry["title"]) for entry in rendered.toc),
        article_ids=tuple(rendered.article_ids),
        quote_keys=tuple(rendered.quote_keys),
    )


def _resolve_link_placeholder(reference: str) -> int | None:
    return LINK_ID if reference == LINK_SLUG else None


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def title_case(text: str) -> str:
    small = {"a", "an", "and", "the", "of", "in", "on", "for", "to", "its", "but", "at"}
    return " ".join(
        word if position and word in small else cap(word)
        for position, word in enumerate(text.split(" "))
    )


def sentence(rng: random.Random) -> str:
    """One sentence, about 10–20 words."""
    adj, adj2, adj3 = rng.sample(w.ADJECTIVES, 3)
    noun, noun2, noun3 = rng.sample(w.NOUNS, 3)
    actor, actor2 = rng.sample(w.ACTORS, 2)
    (base, past), (_, past2) = rng.sample(w.VERBS, 2)
    place = rng.choice(w.PLACES)
    pick = rng.randrange(16)
    if pick == 0:
        text = f"{rng.choice(w.CONNECTORS)} {actor} {past} the {adj} {noun} {rng.choice(w.TIMES)}."
    elif pick == 1:
        text = (
            f"{cap(actor)} {past} {rng.choice(w.AMOUNTS)} {adj} {w.plural(noun)} in {place} "
            f"{rng.choice(w.REASONS)}."
        )
    elif pick == 2:
        text = f"The {noun} in {place} was {rng.choice(w.ADVERBS)} *{adj}*, and {actor} knew it."
    elif pick == 3:
        text = (
            f"What {actor} {past} {rng.choice(w.TIMES)} was not the {noun} itself but the "
            f"{adj} {noun2} behind it."
        )
    elif pick == 4:
        text = (
            f"{cap(actor)} could {base} the {noun}, but only if {actor2} {past2} the {noun2} first."
        )
    elif pick == 5:
        text = (
            f"Few expected {actor} to {base} the {adj} {w.plural(noun)} of {place} so "
            f"{rng.choice(w.ADVERBS)}."
        )
    elif pick == 6:
        text = f"In {place}, the {noun} was {past} {rng.choice(w.TIMES)}, {rng.choice(w.REASONS)}."
    elif pick == 7:
        text = (
            f"{rng.choice(w.CONNECTORS)} {rng.choice(w.FRACTIONS)} of the {w.plural(noun)} in "
            f"{place} were {past} {rng.choice(w.REASONS)}."
        )
    elif pick == 8:
        text = f"Why would {actor} {base} a {noun} that {actor2} had already {past2}?"
    elif pick == 9:
        text = f"A {adj} {noun}, a {adj2} {noun2} and a {adj3} {noun3}: that was the whole bargain."
    elif pick == 10:
        text = (
            f"{cap(actor)} {rng.choice(w.ADVERBS)} {past} the {noun}; {actor2} {past2} the "
            f"{noun2} in return."
        )
    elif pick == 11:
        text = (
            f"The record of the {adj} {w.plural(noun)} is **{rng.choice(w.ADVERBS)} mixed**, and "
            f"the {noun2} in {place} shows why."
        )
    elif pick == 12:
        text = f"For {actor}, the {adj} {noun} became a test of {adj2} {w.plural(noun2)}."
    elif pick == 13:
        text = (
            f"{rng.choice(w.CONNECTORS)} the cost of the {noun} fell on {actor}, not on {actor2}."
        )
    elif pick == 14:
        text = (
            f"Officials in {place} {past} the {noun} twice {rng.choice(w.TIMES)}, and the second "
            f"attempt was {adj}."
        )
    else:
        text = f'{cap(actor)} {past} the {noun} -- and, with it, the "{adj}" {noun2}.'
    return cap(text)


def paragraph(rng: random.Random, sentences: tuple[int, int] = (4, 6)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def heading(rng: random.Random) -> str:
    adj, adj2 = rng.sample(w.ADJECTIVES, 2)
    noun, noun2 = rng.sample(w.NOUNS, 2)
    pick = rng.randrange(8)
    if pick == 0:
        return f"The {adj} {noun}"
    if pick == 1:
        return f"{cap(w.plural(noun))} and {w.plural(noun2)}"
    if pick == 2:
        return f"What {rng.choice(w.ACTORS)} {rng.choice(w.VERBS)[1]}"
    if pick == 3:
        return f"Why the {noun} was {rng.choice(w.VERBS)[1]}"
    if pick == 4:
        return f"{rng.choice(w.PLACES)} and its {w.plural(noun)}"
    if pick == 5:
        return f"The {noun} of {rng.choice(w.PLACES)}"
    if pick == 6:
        return f"After the {adj} {noun}"
    return f"{cap(adj)} {w.plural(noun)}, {adj2} {w.plural(noun2)}"


def title(rng: random.Random) -> str:
    adj = rng.choice(w.ADJECTIVES)
    noun, noun2 = rng.sample(w.NOUNS, 2)
    place = rng.choice(w.PLACES)
    past = rng.choice(w.VERBS)[1]
    pick = rng.randrange(10)
    if pick == 0:
        text = f"the {adj} logic of {place}'s {w.plural(noun)}"
    elif pick == 1:
        text = f"why {place} {past} its {noun}"
    elif pick == 2:
        text = f"{w.plural(noun)}, {w.plural(noun2)} and the {adj} {rng.choice(w.NOUNS)}"
    elif pick == 3:
        text = f"inside the {adj} {noun} of {place}"
    elif pick == 4:
        text = f"what the {noun} reveals about {place}"
    elif pick == 5:
        text = f"{place} after the {noun}: a {adj} {noun2}"
    elif pick == 6:
        text = f"how {rng.choice(w.ACTORS)} {past} the {noun}"
    elif pick == 7:
        text = f"the {noun} nobody {past}"
    elif pick == 8:
        text = f"a {adj} {noun} for {place}"
    else:
        text = f"{place}'s {adj} bet on {w.plural(noun)}"
    return title_case(text)


def standfirst(rng: random.Random) -> str:
    adj, adj2 = rng.sample(w.ADJECTIVES, 2)
    opener = (
        f"{rng.choice(w.PLACES)}'s {adj} {w.plural(rng.choice(w.NOUNS))} looked {adj2} on paper."
    )
    return f"{opener} {sentence(rng)}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(w.FIRST_NAMES)} {rng.choice(w.LAST_NAMES)}"


class Prose:
    """The rendered block pools for one seed. Building one takes a few seconds."""

    def __init__(self, *, seed: int, callout_kinds: Sequence[str]) -> None:
        rng = random.Random(f"bench-prose:{seed}")
        self.kinds = tuple(callout_kinds)
        self.paragraphs = [render_block(paragraph(rng)) for _ in range(PARAGRAPHS)]
        self.headings = self._unique_headings(rng)
        closers = [render_block(f"## {text}") for text in w.CLOSING_HEADINGS]
        taken = {block.toc[0][0] for block in self.headings}
        self.closers = [block for block in closers if block.toc[0][0] not in taken]
        self.subheadings = [render_block(f"### {cap(heading(rng))}") for _ in range(HEADINGS // 4)]
        self.callout_texts = [paragraph(rng, (1, 2)) for _ in range(CALLOUT_TEXTS)]
        self._callouts: dict[tuple[str, int], Block] = {}
        self.lists = [self._list(rng) for _ in range(LISTS)]
        self.blockquotes = [render_block(f"> {sentence(rng)}") for _ in range(BLOCKQUOTES)]
        self.tables = [self._table(rng) for _ in range(TABLES)]
        self.link_paragraphs = [self._link_paragraph(rng) for _ in range(LINK_PARAGRAPHS)]
        self._quotes: dict[str, Block] = {}

    def _unique_headings(self, rng: random.Random) -> list[Block]:
        # Anchors must differ within an article, or the renderer would suffix them ("-2") and
        # the composed table of contents would be wrong; unique anchors in the pool ensure it.
        closers = {slugify(text) for text in w.CLOSING_HEADINGS}
        blocks: dict[str, Block] = {}
        for _ in range(HEADINGS * 20):
            if len(blocks) == HEADINGS:
                break
            text = cap(heading(rng))
            anchor = slugify(text)[:60].strip("-")
            if anchor not in blocks and anchor not in closers:
                blocks[anchor] = render_block(f"## {text}")
        return list(blocks.values())

    def _list(self, rng: random.Random) -> Block:
        ordered = rng.random() < 0.3
        items = []
        for position in range(rng.randint(3, 5)):
            noun = rng.choice(w.NOUNS)
            text = cap(
                f"{rng.choice(w.ADJECTIVES)} {w.plural(noun)} in {rng.choice(w.PLACES)}, "
                f"{rng.choice(w.VERBS)[1]} {rng.choice(w.TIMES)}"
            )
            items.append(f"{position + 1}. {text}" if ordered else f"- {text}")
        return render_block("\n".join(items))

    def _table(self, rng: random.Random) -> Block:
        rows = ["| Area | What changed |", "| --- | --- |"]
        for place in rng.sample(w.PLACES, rng.randint(3, 5)):
            rows.append(f"| {place} | {cap(rng.choice(w.VERBS)[1])} the {rng.choice(w.NOUNS)} |")
        return render_block("\n".join(rows))

    def _link_paragraph(self, rng: random.Random) -> Block:
        block = render_block(
            f"{sentence(rng)} For {rng.choice(w.LINK_LEADS)}, read "
            f"[{rng.choice(w.LINK_PHRASES)}](article:{LINK_SLUG}). {sentence(rng)}"
        )
        assert LINK_ATTRIBUTE in block.html  # the swap in compose_body relies on it
        return block

    def callout(self, kind: str, text: int) -> Block:
        key = (kind, text)
        if key not in self._callouts:
            self._callouts[key] = render_block(f"::: {kind}\n{self.callout_texts[text]}\n:::")
        return self._callouts[key]

    def quote(self, key: str) -> Block:
        if key not in self._quotes:
            self._quotes[key] = render_block(f"[[quote:{key}]]")
        return self._quotes[key]

    def compose_body(
        self, rng: random.Random, *, links: Sequence[tuple[str, int]], quote_keys: Sequence[str]
    ) -> ComposedBody:
        """A body of about 1,500 words: an introduction, four to six sections and a closing one,
        with one to three callouts, each quote key placed once and each (slug, id) link used
        once, in that order. Ids in `links` may be placeholders the caller swaps later."""
        target = rng.randint(1380, 1650)
        headings = [*rng.sample(self.headings, rng.randint(4, 6)), rng.choice(self.closers)]
        used: set[int] = set()

        def fresh_paragraph() -> Block:
            while True:
                index = rng.randrange(len(self.paragraphs))
                if index not in used:
                    used.add(index)
                    return self.paragraphs[index]

        intro = [fresh_paragraph() for _ in range(rng.randint(1, 2))]
        sections: list[list[Block]] = [[fresh_paragraph()] for _ in headings]
        extras: list[tuple[int, list[Block]]] = []  # (section, blocks kept together)

        def place(*blocks: Block, section: int | None = None) -> None:
            where = rng.randrange(len(sections)) if section is None else section
            extras.append((where, list(blocks)))

        for _ in range(rng.randint(1, 3)):
            place(self.callout(rng.choice(self.kinds), rng.randrange(len(self.callout_texts))))
        for key in quote_keys:
            place(self.quote(key))
        for slug, article_id in links:
            template = rng.choice(self.link_paragraphs)
            place(
                Block(
                    source=template.source.replace(f"(article:{LINK_SLUG})", f"(article:{slug})"),
                    html=template.html.replace(LINK_ATTRIBUTE, f'data-article-ref="{article_id}"'),
                    text=template.text,
                    words=template.words,
                    article_ids=(article_id,),
                ),
                section=rng.randrange(len(sections) - 1),  # not in the closing section
            )
        if rng.random() < 0.5:
            place(rng.choice(self.lists))
        if rng.random() < 0.25:
            place(rng.choice(self.blockquotes))
        if rng.random() < 0.12:
            place(rng.choice(self.tables))
        if rng.random() < 0.3:
            place(rng.choice(self.subheadings), fresh_paragraph())

        def total() -> int:
            every = [*intro, *headings, *(b for s in sections for b in s)]
            return sum(b.words for b in every) + sum(b.words for _, bs in extras for b in bs)

        count = total()
        while count < target:
            addition = fresh_paragraph()
            sections[rng.randrange(len(sections))].append(addition)
            count += addition.words

        # Extras go after a section's first paragraph, at random positions among the rest.
        for section, blocks in extras:
            at = rng.randint(1, len(sections[section]))
            sections[section][at:at] = blocks

        ordered = [*intro]
        for head, section in zip(headings, sections, strict=True):
            ordered.append(head)
            ordered.extend(section)
        return ComposedBody(
            source="\n\n".join(block.source for block in ordered) + "\n",
            rendered=RenderedBody(
                html="".join(block.html for block in ordered),
                text=" ".join(block.text for block in ordered if block.text),
                toc=[{"id": anchor, "title": text} for b in ordered for anchor, text in b.toc],
                word_count=sum(block.words for block in ordered),
                article_ids=list(dict.fromkeys(i for block in ordered for i in block.article_ids)),
                quote_keys=list(dict.fromkeys(k for block in ordered for k in block.quote_keys)),
                warnings=[],
            ),
        )


@lru_cache(maxsize=2)
def prose_for(*, seed: int, callout_kinds: tuple[str, ...]) -> Prose:
    """The pools for a seed, kept for the next run in the same process (tests, shells)."""
    return Prose(seed=seed, callout_kinds=callout_kinds)
