"""Dossier's demo content: a cluster on Russia–Iran relations, loaded by `manage.py load_demo`.

Everything here is plain data. Article bodies live next to this file in `articles/<slug>.md`
(Dossier Markdown, see docs/authoring.md); `article_body(slug)` reads one. The prose is original;
the authors, experts and institutes are fictional, and every external address is on example.org.

Slugs are the identity of demo objects: the loader updates whatever has these slugs and leaves
everything else alone, so renaming a slug here creates a new object on the next load.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"


def article_body(slug: str) -> str:
    return (ARTICLES_DIR / f"{slug}.md").read_text(encoding="utf-8")


MAIN_TOPIC = "russia-iran-relations"
PILLAR = "russia-iran-wary-partnership"

# Main topics before their subtopics: the loader creates them in this order.
TOPICS = [
    {
        "slug": MAIN_TOPIC,
        "name": "Russia–Iran Relations",
        "parent": None,
        "description": (
            "How two heavily sanctioned powers have drawn closer over the past decade, and where "
            "their interests still diverge: arms and drones, trade routes and payments, Syria, "
            "the nuclear file and Israel.\n\n"
            "Start with the overview, then follow the cluster into the military and economic "
            "sides of the relationship."
        ),
    },
    {
        "slug": "military-arms-cooperation",
        "name": "Military & Arms Cooperation",
        "parent": MAIN_TOPIC,
        "description": (
            "Weapons, drones and security ties between Moscow and Tehran: who supplies what, what "
            "is paid in return, and what the public evidence can and cannot show."
        ),
    },
    {
        "slug": "energy-trade-corridors",
        "name": "Energy & Trade Corridors",
        "parent": MAIN_TOPIC,
        "description": (
            "Oil, gas, railways and payment systems: the economic side of the partnership, built "
            "largely around the need to trade without the West."
        ),
    },
]

AUTHORS = [
    {
        "slug": "ilse-marrow",
        "name": "Ilse Marrow",
        "role": "Staff Writer & Russia–Iran Specialist",
        "short_bio": (
            "Ilse Marrow covers Russian and Iranian foreign policy for Dossier. She has reported "
            "from the South Caucasus and Central Asia and reads both Russian and Persian."
        ),
        "bio": (
            "Ilse Marrow is Dossier's staff writer on Russia and Iran. Her work follows the "
            "places where the two countries' interests meet and collide: the Caspian, the South "
            "Caucasus, Syria and the arms trade.\n\n"
            "Before joining Dossier she spent several years as a freelance correspondent based in "
            "Tbilisi and Almaty, writing about energy transit, border disputes and the region's "
            "shifting alliances. She studied Persian and Russian, and history at postgraduate "
            "level, with a thesis on Soviet–Iranian relations in the 1940s.\n\n"
            "She is especially interested in what official statements leave out, and in the "
            "practical details (rail gauges, payment systems, maintenance contracts) that decide "
            "whether grand partnerships ever amount to much."
        ),
        "website": "https://example.org/ilse-marrow",
        "links": [
            ("Mastodon", "https://example.social/@ilsemarrow"),
            ("Newsletter", "https://example.org/ilse-marrow/newsletter"),
        ],
    },
    {
        "slug": "darius-penhallow",
        "name": "Darius Penhallow",
        "role": "Contributing Editor, Energy & Sanctions",
        "short_bio": (
            "Darius Penhallow writes about energy markets, sanctions and trade routes. He edits "
            "Dossier's coverage of the economic side of Russia–Iran relations."
        ),
        "bio": (
            "Darius Penhallow is a contributing editor at Dossier, where he oversees coverage of "
            "energy, sanctions and trade.\n\n"
            "He began his career as an analyst of oil shipping, tracking tanker movements and "
            "freight rates, before moving into journalism. Since then he has written about "
            "pipeline politics, the mechanics of financial sanctions and the growth of trade "
            "that avoids the dollar.\n\n"
            "At Dossier he works with staff writers to test big claims against the numbers that "
            "can be checked, and to say plainly when the numbers cannot."
        ),
        "website": "https://example.org/darius-penhallow",
        "links": [("Portfolio", "https://example.org/darius-penhallow/portfolio")],
    },
]

EXPERTS = [
    {
        "slug": "roxana-tevelde",
        "name": "Roxana Tevelde",
        "credentials": "Senior Fellow, Caspian Policy Institute",
        "bio": (
            "Roxana Tevelde leads the Caspian Policy Institute's research on Russian policy "
            "toward Iran, the South Caucasus and the Caspian basin. She previously worked as a "
            "political analyst for an international monitoring mission in the region."
        ),
        "url": "https://example.org/caspian-policy-institute/people/roxana-tevelde",
    },
    {
        "slug": "pavel-ostrogin",
        "name": "Pavel Ostrogin",
        "credentials": "Associate Professor, Northgate School of Strategic Studies",
        "bio": (
            "Pavel Ostrogin teaches security studies and researches arms transfers between "
            "sanctioned states, with a focus on drones and missile technology. He is the author "
            "of a study of Soviet arms exports to the Middle East."
        ),
        "url": "https://example.org/northgate/faculty/pavel-ostrogin",
    },
    {
        "slug": "leyla-marchbank",
        "name": "Leyla Marchbank",
        "credentials": "Director of Research, Levant & Gulf Energy Observatory",
        "bio": (
            "Leyla Marchbank is an economist who studies energy trade, transport corridors and "
            "the financial plumbing of sanctioned economies. She directs research at the Levant "
            "& Gulf Energy Observatory."
        ),
        "url": "https://example.org/lgeo/team/leyla-marchbank",
    },
]


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


ARTICLES = [
    {
        "slug": PILLAR,
        "title": "Russia and Iran: Anatomy of a Wary Partnership",
        "standfirst": (
            "Moscow and Tehran have spent the past decade drawing closer, pushed together by "
            "Western sanctions and a shared dislike of American power. Yet the partnership rests "
            "on convenience as much as conviction, and the places where their interests part are "
            "as revealing as the places where they meet."
        ),
        "seo_title": "Russia and Iran: Anatomy of a Wary Partnership",
        "meta_description": (
            "What binds Russia and Iran, where their interests diverge, and why their partnership "
            "is an alignment rather than an alliance."
        ),
        "primary_topic": MAIN_TOPIC,
        "topics": ["military-arms-cooperation", "energy-trade-corridors"],
        "tags": ["russia", "iran", "sanctions", "nuclear programme", "strategic partnership"],
        "featured": True,
        "publish_at": _utc(2026, 9, 8, 9, 0),
        "updated_at": _utc(2026, 11, 12, 10, 30),
        "authors": ["ilse-marrow", "darius-penhallow"],
        "quotes": [
            {
                "key": "tevelde-convenience",
                "expert": "roxana-tevelde",
                "text": (
                    "Moscow and Tehran do not trust each other, and they do not need to. What "
                    "they share is a list of things neither can get anywhere else. As long as "
                    "that list stays long, the partnership holds."
                ),
                "context": "in an interview with Dossier",
                "said_on": date(2026, 8, 19),
            },
            {
                "key": "ostrogin-asymmetry",
                "expert": "pavel-ostrogin",
                "text": (
                    "Iran delivered drones that Russia could put to use within weeks. Russia's "
                    "side of the bargain has mostly been promises with delivery dates that keep "
                    "moving."
                ),
                "context": "speaking at a Northgate seminar on arms transfers",
                "source_url": "https://example.org/northgate/events/arms-transfers-seminar",
                "said_on": date(2026, 7, 2),
            },
        ],
        # Curated "read next" links, in order: (slug, lead-in sentence or "").
        "related": [
            ("syria-after-assad", "For the war that tested the partnership hardest, read"),
            ("russia-iran-arms-pipeline", "For how the drone trade was built, read"),
            ("north-south-corridor-sanctions", ""),
            ("russia-iran-israel-triangle", ""),
        ],
    },
    {
        "slug": "syria-after-assad",
        "title": "After Assad: What Syria Taught Moscow and Tehran",
        "standfirst": (
            "For nearly a decade, Russia and Iran fought side by side to keep Bashar al-Assad in "
            "power. His sudden fall in December 2024 erased their most important joint project "
            "and showed how differently the two capitals had understood it."
        ),
        "seo_title": "",
        "meta_description": "",
        "primary_topic": MAIN_TOPIC,
        "topics": ["military-arms-cooperation"],
        "tags": ["russia", "iran", "syria", "middle east"],
        "featured": False,
        "publish_at": _utc(2026, 9, 22, 8, 0),
        "updated_at": None,
        "authors": ["ilse-marrow"],
        "quotes": [
            {
                "key": "tevelde-syria",
                "expert": "roxana-tevelde",
                "text": (
                    "In Syria, Russia was defending a principle and Iran was defending a supply "
                    "line. When the regime fell, Moscow lost an argument; Tehran lost a road."
                ),
                "context": "in an interview with the author",
                "said_on": date(2026, 9, 10),
            },
            {
                "key": "ostrogin-syria",
                "expert": "pavel-ostrogin",
                "text": (
                    "Neither patron had anything left to send in late 2024. The decision not to "
                    "intervene was taken long before the rebels moved, by the wars in Ukraine "
                    "and Lebanon."
                ),
                "context": "in written comments to Dossier",
                "said_on": date(2026, 9, 14),
            },
        ],
        "related": [(PILLAR, "For the wider picture, read")],
    },
    {
        "slug": "russia-iran-arms-pipeline",
        "title": "Drones, Missiles and Money: Inside the Russia–Iran Arms Pipeline",
        "standfirst": (
            "Russia's war in Ukraine turned Iran from a customer of Russian weapons into a "
            "supplier. The drones that followed changed the battlefield, but what Iran has "
            "received in return remains largely unclear."
        ),
        "seo_title": "Inside the Russia–Iran Arms Pipeline",
        "meta_description": "",
        "primary_topic": "military-arms-cooperation",
        "topics": [MAIN_TOPIC],
        "tags": ["russia", "iran", "drones", "arms trade", "ukraine war"],
        "featured": False,
        "publish_at": _utc(2026, 10, 6, 8, 0),
        "updated_at": None,
        "authors": ["ilse-marrow"],
        "quotes": [
            {
                "key": "ostrogin-drones",
                "expert": "pavel-ostrogin",
                "text": (
                    "The Shahed was never meant to be sophisticated. It was meant to be cheap "
                    "enough that the defender runs out of missiles before the attacker runs out "
                    "of drones."
                ),
                "context": "in an interview with Dossier",
                "said_on": date(2026, 9, 28),
            },
            {
                "key": "marchbank-barter",
                "expert": "leyla-marchbank",
                "text": (
                    "When neither side can use the dollar or the euro, every deal becomes a "
                    "barter deal in disguise: gold, oil, grain or goodwill. That is slow, and it "
                    "keeps the trade smaller than the headlines suggest."
                ),
                "context": "in a briefing for journalists",
                "source_url": "https://example.org/lgeo/briefings/sanctions-and-barter",
                "said_on": date(2026, 9, 30),
            },
        ],
        "related": [(PILLAR, "For the wider picture, read")],
    },
    {
        "slug": "north-south-corridor-sanctions",
        "title": "The North–South Corridor and the Economics of Sanctions",
        "standfirst": (
            "A trade route linking Russia to the Indian Ocean through Iran has been promised for "
            "a quarter of a century. Sanctions have given Moscow and Tehran new reasons to finish "
            "it, and have shown how hard that will be."
        ),
        "seo_title": "",
        "meta_description": (
            "Why Russia and Iran want the North–South Transport Corridor, what is still missing, "
            "and how they move money without the West."
        ),
        "primary_topic": "energy-trade-corridors",
        "topics": [MAIN_TOPIC],
        "tags": ["russia", "iran", "sanctions", "trade corridors", "energy"],
        "featured": False,
        "publish_at": _utc(2026, 10, 20, 8, 0),
        "updated_at": None,
        "authors": ["darius-penhallow", "ilse-marrow"],
        "quotes": [
            {
                "key": "marchbank-corridor",
                "expert": "leyla-marchbank",
                "text": (
                    "The corridor's problem has never been the idea. It is a short stretch of "
                    "track, a handful of border crossings and the question of who pays for them."
                ),
                "context": "in an interview with the authors",
                "said_on": date(2026, 10, 8),
            },
            {
                "key": "tevelde-caspian",
                "expert": "roxana-tevelde",
                "text": (
                    "The Caspian is the one stretch of the route that no outside navy can reach. "
                    "For Moscow, that matters more than the cargo figures."
                ),
                "context": "speaking at the Caspian Policy Institute's autumn forum",
                "source_url": "https://example.org/caspian-policy-institute/autumn-forum",
                "said_on": date(2026, 10, 1),
            },
        ],
        "related": [(PILLAR, "")],
    },
    {
        "slug": "russia-iran-israel-triangle",
        "title": "The Israel Triangle: Why Moscow Keeps Its Lines Open",
        "standfirst": (
            "Russia calls Iran a strategic partner, yet it has spent decades cultivating ties "
            "with Iran's most determined enemy. That balancing act has survived wars in Syria, "
            "Gaza and Ukraine, and it tells Tehran a great deal about the limits of Russian "
            "support."
        ),
        "seo_title": "",
        "meta_description": "",
        "primary_topic": MAIN_TOPIC,
        "topics": ["military-arms-cooperation"],
        "tags": ["russia", "iran", "israel", "middle east", "syria"],
        "featured": False,
        "publish_at": _utc(2026, 11, 3, 8, 0),
        "updated_at": None,
        "authors": ["ilse-marrow"],
        "quotes": [
            {
                "key": "tevelde-hotline",
                "expert": "roxana-tevelde",
                "text": (
                    "Russia has never seen a contradiction between calling Iran a partner and "
                    "keeping a telephone line open to Israel. The contradiction exists only in "
                    "Tehran's expectations."
                ),
                "context": "in an interview with Dossier",
                "said_on": date(2026, 10, 25),
            },
            {
                "key": "ostrogin-defence-clause",
                "expert": "pavel-ostrogin",
                "text": (
                    "Iran learned what a partnership without a defence clause means: statements, "
                    "offers of mediation, and nothing that changes the military balance."
                ),
                "context": "in written comments to Dossier",
                "said_on": date(2026, 10, 27),
            },
        ],
        "related": [
            (PILLAR, "For the wider picture, read"),
            ("syria-after-assad", ""),
        ],
    },
]

# Approved reader comments, so the demo shows a discussion; "replies" are answers to the comment
# above them, and a reply by "editors" is posted as the editors' own.
COMMENTS = [
    {
        "article": "russia-iran-israel-triangle",
        "name": "Mehdi R.",
        "body": (
            "The hotline point is the one people in Tehran understand least. Moscow has kept "
            "that channel through every crisis since 2015, and nobody here ever asked what it "
            "was used for."
        ),
        "replies": [
            {
                "name": "editors",
                "body": (
                    "Thank you. Our next piece on the arms pipeline looks at the 2024 "
                    "deliveries through the same lens: what Moscow told Israel in advance."
                ),
            },
        ],
    },
    {
        "article": "russia-iran-israel-triangle",
        "name": "Katarina V.",
        "body": (
            "Good piece, but I would weigh the Caspian route more heavily: most of what moves "
            "between the two never goes near Syria or the Gulf."
        ),
        "replies": [],
    },
    {
        "article": PILLAR,
        "name": "Owen T.",
        "body": "A clear overview. A timeline of the treaty negotiations would help newcomers.",
        "replies": [],
    },
]


# --- site pages and menus ---------------------------------------------------------------------

PAGES_DIR = Path(__file__).resolve().parent / "pages"


def page_body(slug: str) -> str:
    return (PAGES_DIR / f"{slug}.md").read_text(encoding="utf-8")


# Site pages, matched by slug like everything else; bodies in pages/<slug>.md.
PAGES = [
    {
        "slug": "about",
        "title": "About Dossier",
        "meta_description": "Who writes Dossier, how we work, and how we stay independent.",
    },
    {
        "slug": "contact",
        "title": "Contact",
        "meta_description": "How to reach Dossier's editors with corrections, tips and questions.",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "meta_description": "What Dossier keeps about readers and commenters, and why.",
    },
]

# The menus as the demo sets them: each link is ("page" | "topic" | "section", what, label).
# The loader replaces the links of both menus on every run.
MENUS = {
    # Short enough for the phone header's single row of links (tests/browser/test_screenshots.py).
    "header": [
        ("section", "topics:list", "Topics"),
        ("section", "authors:list", "Authors"),
        ("section", "authors:expert_list", "Experts"),
        ("page", "about", "About"),
    ],
    "footer": [
        ("section", "website:home", "Home"),
        ("page", "about", "About"),
        ("page", "contact", "Contact"),
        ("page", "privacy", "Privacy"),
    ],
}


#: Each demo article's featured image: a drawing made at load time (website/demo/illustrations.py)
#: and the description readers who cannot see it are given.
IMAGE_CREDIT = "Illustration: Dossier demo"
IMAGES = {
    PILLAR: (
        "partnership-map",
        "A stylised map: two land masses across a sea, joined by a dashed route between two "
        "marked cities.",
    ),
    "syria-after-assad": (
        "rings",
        "Abstract composition: concentric rings around a circle split into a red and a teal half.",
    ),
    "russia-iran-arms-pipeline": (
        "bar-chart",
        "An illustrative bar chart without figures: bars rising from left to right under a "
        "trend line, three of them picked out in red.",
    ),
    "north-south-corridor-sanctions": (
        "corridor",
        "A stylised route running north to south through contour lines, with stations along "
        "it beside a strip of water.",
    ),
    "russia-iran-israel-triangle": (
        "triangle",
        "Abstract composition: a triangle whose three corners are marked by coloured circles.",
    ),
}
