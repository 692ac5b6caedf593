"""Word lists for the benchmark corpus (plain data, written for Dossier).

The places and institutions are invented, so generated sentences never make claims about real
countries or people. Verbs are used in the past tense or after a modal ("could …"), which keeps
every combination grammatical without any agreement rules.
"""

from __future__ import annotations

ADJECTIVES = (
    "steady", "fragile", "regional", "quiet", "costly", "uneven", "durable", "informal",
    "strategic", "modest", "rapid", "gradual", "contested", "overlooked", "familiar", "awkward",
    "cautious", "ambitious", "narrow", "broad", "local", "coastal", "northern", "southern",
    "eastern", "western", "rural", "urban", "industrial", "financial", "legal", "political",
    "technical", "practical", "public", "private", "hidden", "visible", "sudden", "lasting",
    "temporary", "partial", "limited", "growing", "shrinking", "shared", "competing", "rival",
    "parallel", "formal", "binding", "voluntary", "seasonal", "secondary", "central", "marginal",
    "heavy", "reliable", "volatile", "patient", "stubborn", "generous", "scarce", "crowded",
    "ageing", "cheap", "expensive", "fiscal", "maritime", "agricultural", "digital", "upstream",
    "downstream", "provisional", "improvised", "negotiated", "untested", "overdue",
)  # fmt: skip

# Singular nouns; plural() below handles the few spelling rules they need.
NOUNS = (
    "grid", "port", "corridor", "tariff", "pipeline", "harvest", "budget", "subsidy",
    "reservoir", "railway", "contract", "treaty", "reform", "market", "supplier", "refinery",
    "border", "ministry", "regulator", "loan", "bond", "network", "standard", "licence", "quota",
    "shipment", "warehouse", "terminal", "cable", "satellite", "factory", "mine", "forest",
    "coastline", "river", "dam", "bridge", "highway", "airport", "hospital", "court",
    "coalition", "union", "cooperative", "province", "district", "village", "city", "platform",
    "registry", "census", "audit", "survey", "forecast", "ledger", "levy", "canal", "depot",
    "convoy", "fishery", "vineyard", "orchard", "mill", "smelter", "substation", "turbine",
    "battery", "checkpoint", "ferry", "tanker", "freight line", "payment system", "credit line",
    "price cap", "trade route", "water right", "grain store", "power plant", "fuel depot",
    "tender", "concession", "charter", "mandate", "ceasefire", "embargo", "dividend", "deficit",
    "surplus", "pension fund", "labour market", "housing stock",
)  # fmt: skip

VERBS = (  # (base form, past tense)
    ("expand", "expanded"), ("delay", "delayed"), ("finance", "financed"), ("block", "blocked"),
    ("revise", "revised"), ("double", "doubled"), ("halve", "halved"),
    ("question", "questioned"), ("defend", "defended"), ("abandon", "abandoned"),
    ("restore", "restored"), ("tighten", "tightened"), ("loosen", "loosened"),
    ("negotiate", "negotiated"), ("postpone", "postponed"), ("announce", "announced"),
    ("review", "reviewed"), ("challenge", "challenged"), ("test", "tested"),
    ("measure", "measured"), ("replace", "replaced"), ("rebuild", "rebuilt"),
    ("subsidise", "subsidised"), ("tax", "taxed"), ("audit", "audited"), ("map", "mapped"),
    ("reopen", "reopened"), ("close", "closed"), ("price", "priced"), ("reroute", "rerouted"),
    ("insure", "insured"), ("license", "licensed"), ("approve", "approved"),
    ("reject", "rejected"), ("extend", "extended"), ("simplify", "simplified"),
    ("outsource", "outsourced"), ("nationalise", "nationalised"), ("privatise", "privatised"),
    ("underwrite", "underwrote"), ("dismantle", "dismantled"), ("modernise", "modernised"),
    ("guarantee", "guaranteed"), ("ration", "rationed"), ("freeze", "froze"),
)  # fmt: skip

ACTORS = (
    "the finance ministry", "port authorities", "regional governors", "the central bank",
    "a consortium of insurers", "local councils", "the largest exporters", "freight operators",
    "independent auditors", "the transport regulator", "opposition lawmakers",
    "two state utilities", "smaller lenders", "farm cooperatives", "the customs service",
    "foreign investors", "the dockworkers' union", "the energy agency", "provincial courts",
    "shipping firms", "the statistics office", "municipal planners", "private equity funds",
    "the coast guard", "rail engineers", "career diplomats", "academic economists",
    "industry lobbyists", "long-time residents", "the budget committee", "the prime minister",
    "a handful of families", "the development bank", "mid-sized manufacturers",
    "the water board", "cross-border traders", "the defence ministry", "grain brokers",
)  # fmt: skip

PLACES = (
    "Varenholt", "Kestrel Bay", "Marrowgate", "Ostrin", "Tallow Reach", "Brennmark", "Solvane",
    "Quarry Point", "Edda Vale", "Harrowfield", "Lanmoor", "Corvey", "Ashgrove", "Drummel",
    "Fenwick Sound", "Istrava", "Kolbeck", "Norrin", "Ravensholm", "Saltmere", "Velmora",
    "Wendmoor", "Yarrowby", "Zelany Ridge", "Oskarven", "Pellin", "Trevanne", "Caldris",
    "Morrow Flats", "Hallin Strait", "Dunvast", "Belloch", "Sarnow", "Ilvany", "Gorse Head",
    "Arvenne", "Tessin Lowlands", "Maelbrook", "Ostwick", "Calloway Basin",
)  # fmt: skip

THEMES = (
    "Energy Policy", "Trade Corridors", "Water Security", "Grain Markets", "Port Politics",
    "Rail Strategy", "Public Finance", "Sanctions", "Border Economies", "Power Grids",
    "Labour Reform", "Housing Policy", "Mining Rights", "Fisheries", "Shipping Lanes",
    "Credit Markets", "Defence Procurement", "Climate Adaptation", "Regional Elections",
    "Courts and Law", "Digital Infrastructure", "Health Systems", "Pension Reform",
    "Industrial Policy", "Local Government", "Migration", "Tourism", "Forestry",
    "Telecoms", "Agriculture", "River Management", "Urban Transport", "Tax Policy",
    "Diplomacy", "Food Prices", "Manufacturing", "Research Funding", "Coastal Defence",
    "Media and Power", "Public Health",
)  # fmt: skip

TIMES = (
    "over the past decade", "since the last election", "within two years", "during the winter",
    "after the floods", "before the summit", "in the first quarter", "for most of the decade",
    "by the end of the year", "after a long delay", "in recent months",
    "at the height of the crisis", "once the loans came due", "as prices climbed",
    "while talks stalled", "in a single season", "before anyone outside noticed",
    "after the audit was published", "during the spring thaw", "ahead of the budget vote",
)  # fmt: skip

CONNECTORS = (
    "Even so,", "By contrast,", "In practice,", "At the same time,", "For now,", "On paper,",
    "Meanwhile,", "Still,", "In the end,", "Put simply,", "Crucially,", "As a result,",
    "Until recently,", "More quietly,", "Looked at closely,", "Predictably,", "Oddly,",
)  # fmt: skip

REASONS = (
    "because the numbers no longer added up", "to protect a fragile recovery",
    "under pressure from creditors", "after a string of failed tenders",
    "to keep exports moving", "in exchange for cheaper credit", "without much public debate",
    "despite objections from neighbours", "as part of a wider bargain",
    "to buy time before the next winter", "when the old arrangement collapsed",
    "on the advice of outside consultants", "to settle a long-running dispute",
)  # fmt: skip

ADVERBS = (
    "quietly", "openly", "slowly", "abruptly", "carefully", "repeatedly", "partly", "largely",
    "barely", "steadily", "unexpectedly", "reluctantly", "briefly", "deliberately",
)  # fmt: skip

AMOUNTS = (
    "two", "three", "four", "several", "dozens of", "a handful of", "most of the", "half the",
    "hundreds of", "a few",
)  # fmt: skip

FRACTIONS = ("a third", "a quarter", "half", "two thirds", "a tenth", "nearly all", "few")

CLOSING_HEADINGS = (
    "Conclusion", "What comes next", "Where this leaves the region", "The outlook",
    "Bottom line", "What to watch", "The longer view",
)  # fmt: skip

LINK_LEADS = (
    "the wider picture", "the background", "how this cluster began", "the numbers behind it",
    "the earlier chapter of this story", "the competing view", "the legal side",
)  # fmt: skip

LINK_PHRASES = (
    "our overview of the subject", "the earlier analysis", "the piece that started it",
    "this explainer", "our look at the first round", "the companion article",
    "the longer briefing",
)  # fmt: skip

RELATED_LEAD_INS = (
    "", "", "", "For the background, read", "For a deeper dive into these fault lines, read",
    "For the story of how it started, read", "For the numbers behind this, read",
    "For the opposing argument, read",
)  # fmt: skip

QUOTE_CONTEXTS = (
    "in an interview with Dossier", "speaking at a conference in {place}",
    "in written evidence to a parliamentary committee", "on a panel about {theme}",
    "in a briefing for reporters", "in a paper published this year", "",
)  # fmt: skip

FIRST_NAMES = (
    "Alder", "Brisa", "Caelan", "Dagny", "Elio", "Freya", "Galen", "Hedda", "Ilario", "Jovana",
    "Kasimir", "Liesl", "Marek", "Noor", "Oswin", "Petra", "Quentin", "Rosalind", "Sten",
    "Talia", "Ulric", "Vesna", "Wren", "Yara", "Zeno", "Anouk", "Bastian", "Cosima", "Dorian",
    "Esme", "Florin", "Greta", "Hamid", "Ines", "Jarek", "Kalina", "Lorcan", "Mira", "Nils",
    "Odile", "Rhea", "Soren", "Thea", "Viggo", "Wanda", "Zora", "Amara", "Benedek", "Cyra",
    "Desmond", "Elin", "Farid", "Gwen", "Halvard", "Isolde", "Joachim", "Kerstin", "Leandro",
)  # fmt: skip

LAST_NAMES = (
    "Ashdown", "Brackwell", "Corrigan", "Dunmore", "Everly", "Fairholm", "Gorringe", "Haverick",
    "Ivers", "Jessop", "Kettering", "Larkwood", "Mallender", "Northcott", "Oakhurst", "Penwarden",
    "Quillon", "Rathmore", "Stanwick", "Thistlewood", "Underhay", "Vantreight", "Whitlow",
    "Yelverton", "Ambrosek", "Belvane", "Castellan", "Dravic", "Esterhall", "Fennimore",
    "Grisholm", "Halloran", "Ingleby", "Jurasek", "Korvald", "Lindqvale", "Moravec", "Nettlefold",
    "Orsolan", "Pryderi", "Renfrew", "Salvatierra", "Tamsworth", "Ulvestad", "Varga-Holm",
)  # fmt: skip

AUTHOR_ROLES = (
    "Staff Writer", "Senior Correspondent", "Contributing Editor", "Data Reporter",
    "Regional Analyst", "Economics Editor", "Investigations Editor",
)  # fmt: skip

EXPERT_TITLES = (
    "Senior Fellow", "Associate Professor", "Director of Research", "Chief Economist",
    "Visiting Scholar", "Programme Lead", "Former Deputy Minister", "Independent Consultant",
)  # fmt: skip

INSTITUTIONS = (
    "Institute for Trade Studies", "Policy Centre", "School of Economics", "Energy Observatory",
    "Maritime Forum", "Council on Infrastructure", "University", "Water Commission",
    "Centre for Public Finance", "Law Faculty",
)  # fmt: skip


def plural(noun: str) -> str:
    """English plural of the nouns above (the last word changes: "freight lines")."""
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last
