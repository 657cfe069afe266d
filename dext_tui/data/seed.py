"""A realistic, deterministic demo practice (`dext-tui seed`, `dext-tui --demo`).

Same seed, same data, byte for byte: all randomness comes from one
`random.Random(seed)` and all times from a fixed clock, so snapshot tests and
benchmarks see the same practice on every machine. Rows are written with Core
bulk inserts and ids chosen here, because a million clients must load in well
under two minutes; values are valid by construction rather than checked row
by row (the tests validate samples through `validation`).
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text

from dext_tui.data.models import (
    AuditEvent,
    Client,
    ClientUser,
    Practice,
    PracticeAccess,
    PrecisionAccount,
    PrecisionSourceClient,
    PrepareAccount,
    SoloAccount,
    TeamMember,
)
from dext_tui.data.validation import practice_code_key, sort_key

DEMO_ADMIN_EMAIL = "admin@demo-practice.example"
DEMO_PRACTICE_NAME = "Harbour & Vale Accountants"
FIXED_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

CLIENTS_PER_INSERT = 10_000
SEED_SQLITE_CACHE_KIB = -256_000  # negative: KiB, per SQLite's PRAGMA cache_size
PRACTICE_ID = 1

Row = dict[str, Any]

# ---------------------------------------------------------------------------
# Word lists. Client names are built from these; the two "distinctive" lists
# at the end must share no word with the others (a test checks), so Precision
# source clients can be made to match exactly one client, or none.
# ---------------------------------------------------------------------------

# fmt: off
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker",
    "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
    "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds",
    "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole",
    "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "O'Neill",
    "O'Connor", "O'Sullivan", "McDonald", "MacLeod", "McKenzie", "Fraser", "Reid", "Ross",
    "Henderson", "Hamilton", "Sinclair", "Duncan", "Kerr", "Doherty", "Gallagher", "Quinn", "Byrne",
    "Nolan", "Okafor", "Adeyemi", "Mensah", "Owusu", "Nwosu", "Chen", "Wang", "Li", "Zhang",
    "Nguyen", "Tran", "Kim", "Park", "Yamamoto", "Kowalski", "Nowak", "Wiśniewski", "Zieliński",
    "Novák", "Dvořák", "Müller", "Schmidt", "Høgberg", "Larsen", "Eriksson", "Lindqvist", "Rossi",
    "Russo", "Bianchi", "Esposito", "García", "Fernández", "Núñez", "López", "Silva", "Santos",
    "Costa", "Pereira", "D'Souza", "Fernandes", "Mehta", "Shah", "Sharma", "Gupta", "Iyer", "Reddy",
    "Rahman", "Chowdhury", "Akhtar", "Malik", "Qureshi", "Yilmaz", "Demir", "Çelik", "Papadopoulos",
    "Georgiou", "Petrov", "Cohen", "Levy", "Smythe", "Fitzgerald", "Llewellyn", "Pritchard",
    "Vaughan", "Rees", "Howells", "Parry", "Bowen", "Ffrench", "Ó Briain", "Featherstonehaugh",
)

FIRST_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
    "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
    "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed",
    "Logan", "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
    "Sophia", "Grace", "Evie", "Sophie", "Freya", "Charlotte", "Daisy", "Ruby", "Chloe", "Jessica",
    "Alice", "Florence", "Priya", "Aisha", "Fatima", "Zara", "Anjali", "Deepa", "Ravi", "Arjun",
    "Sanjay", "Vikram", "Amir", "Yusuf", "Omar", "Hassan", "Bilal", "Imran", "Nadia", "Leila",
    "Chidi", "Ngozi", "Kwame", "Ama", "Femi", "Tunde", "Wei", "Mei", "Jun", "Hiro", "Yuki",
    "Siobhán", "Aoife", "Niamh", "Ciarán", "Seán", "Eoin", "Ffion", "Rhys", "Dafydd", "Gethin",
    "Cerys", "Eilidh", "Mhairi", "Ewan", "Callum", "Hamish", "Zoë", "Chloé", "José", "Andrés",
    "Inês", "João", "Björn", "Søren", "Agnieszka", "Katarzyna", "Piotr", "Tomasz", "Jan", "Lukas",
    "Elena", "Sofia", "Marco", "Giulia", "Matteo", "Dimitri", "Anastasia", "Mateusz", "Margaret",
    "Susan", "Patricia", "David", "John", "Michael", "Paul", "Peter", "Richard", "Stephen",
    "Andrew", "Mark", "Karen", "Helen", "Sarah", "Rachel", "Claire", "Emma", "Laura", "Hannah",
    "Rebecca", "Nicola", "Gareth", "Craig", "Darren", "Wayne", "Dean", "Bethan", "Rhiannon",
    "Kieran", "Declan",
)

PLACES = (
    "Thames", "Severn", "Mersey", "Tyne", "Trent", "Avon", "Clyde", "Tay", "Dee", "Wye", "Cotswold",
    "Pennine", "Chiltern", "Mendip", "Malvern", "Peak", "Lakeland", "Solent", "Wessex", "Mercia",
    "Cambrian", "Highland", "Lowland", "Borders", "Fenland", "Broadland", "Downs", "Weald",
    "Moorland", "Dales", "London", "Bristol", "Bath", "Oxford", "Cambridge", "York", "Leeds",
    "Manchester", "Liverpool", "Birmingham", "Coventry", "Leicester", "Nottingham", "Derby",
    "Sheffield", "Hull", "Newcastle", "Sunderland", "Durham", "Carlisle", "Lancaster", "Preston",
    "Blackpool", "Chester", "Shrewsbury", "Hereford", "Worcester", "Gloucester", "Cheltenham",
    "Swindon", "Reading", "Slough", "Guildford", "Brighton", "Hastings", "Canterbury", "Dover",
    "Maidstone", "Chelmsford", "Colchester", "Ipswich", "Norwich", "Peterborough", "Lincoln",
    "Grimsby", "Exeter", "Plymouth", "Truro", "Penzance", "Torquay", "Taunton", "Salisbury",
    "Winchester", "Southampton", "Portsmouth", "Bournemouth", "Poole", "Dorchester", "Cardiff",
    "Swansea", "Newport", "Wrexham", "Bangor", "Aberystwyth", "Llandudno", "Edinburgh", "Glasgow",
    "Aberdeen", "Dundee", "Inverness", "Perth", "Stirling", "Belfast", "Derry", "Armagh", "Newry",
    "Kendal", "Keswick", "Harrogate", "Whitby", "Scarborough", "St Albans", "St Ives",
    "Bury St Edmunds", "King's Lynn", "Stratford", "Warwick", "Kenilworth", "Ludlow", "Ely",
    "Wells", "Bideford", "Falmouth", "Greenwich", "Camden", "Hackney", "Islington", "Brixton",
    "Croydon", "Wimbledon", "Richmond", "Kingston", "Ealing", "Harrow", "Enfield", "Barnet",
    "Llanelli", "Ystrad Mynach", "Betws-y-Coed", "Milton Keynes", "Stoke", "Wolverhampton",
    "Walsall", "Dudley", "Telford", "Crewe", "Wigan", "Bolton", "Rochdale", "Oldham", "Stockport",
    "Salford", "Huddersfield", "Halifax", "Bradford", "Wakefield", "Doncaster", "Rotherham",
    "Barnsley",
)

TRADES = (
    "Plumbing", "Roofing", "Joinery", "Electrical", "Building", "Builders", "Landscaping",
    "Cleaning", "Catering", "Bakery", "Butchers", "Carpentry", "Decorating", "Glazing",
    "Scaffolding", "Haulage", "Logistics", "Removals", "Motors", "Garage", "Tyres", "Engineering",
    "Fabrication", "Welding", "Dental", "Physiotherapy", "Veterinary", "Pharmacy", "Opticians",
    "Florists", "Hair Studio", "Barbers", "Beauty", "Fitness", "Yoga", "Photography", "Design",
    "Architecture", "Surveying", "Consulting", "Software", "Digital", "Media", "Marketing", "Print",
    "Signs", "Lettings", "Estates", "Property", "Developments", "Construction", "Interiors",
    "Kitchens", "Bathrooms", "Flooring", "Tiling", "Plastering", "Brickwork", "Stonemasonry",
    "Locksmiths", "Security", "Fire Protection", "Heating", "Gas Services", "Solar", "Renewables",
    "Farm", "Dairy", "Nurseries", "Garden Centre", "Brewery", "Distillery", "Vineyard", "Coffee",
    "Tea Rooms", "Deli", "Fish & Chips", "Pizzeria", "Kitchen", "Events", "Weddings", "Travel",
    "Taxis", "Couriers", "Childcare", "Tutoring", "Care Services", "Home Care", "Recruitment",
    "Laundry", "Upholstery", "Antiques", "Books", "Music", "Pet Supplies", "Dog Grooming",
    "Equestrian", "Boatyard", "Marine", "Translation", "IT Services", "Web Design", "Audio Visual",
    "Electronics", "Tailoring", "Jewellers", "Pottery", "Crafts", "Textiles",
)

ADJECTIVES = (
    "Bright", "Blue", "Green", "Golden", "Silver", "Red", "Northern", "Southern", "Western",
    "Eastern", "Royal", "Premier", "First", "Prime", "Crown", "Swift", "Clear", "True", "Pure",
    "Bold", "Little", "Big", "Happy", "Smart", "Elite", "Apex", "Summit", "Evergreen", "Coastal",
    "Urban", "Rural", "Modern", "Classic", "Heritage", "Rainbow", "Sunrise", "Sunset", "Harbour",
    "Riverside", "Hilltop", "Meadow", "Orchard", "Copper", "Iron", "Stone", "Cedar", "Maple",
    "Willow", "Phoenix", "Velvet", "Amber", "Scarlet", "Emerald",
)

NOUNS = (
    "Spark", "Leaf", "Arrow", "Anchor", "Beacon", "Bridge", "Compass", "Crest", "Fox", "Hare",
    "Heron", "Kite", "Lantern", "Lighthouse", "Mill", "Oak", "Pine", "Quay", "Ridge", "Rose",
    "Star", "Thistle", "Tower", "Wave", "Water", "Wolf", "Wren", "Acorn", "Bee", "Owl", "Falcon",
    "Badger", "Otter", "Robin", "Swan", "Bramble", "Clover", "Daisy", "Fern", "Harvest", "Horizon",
    "Island", "Keystone", "Landmark", "Milestone", "Pebble", "Pioneer", "Signal", "Trident",
    "Vista", "Gate", "Forge", "Yard", "Works",
)

BUSINESS_WORDS = (
    "Holdings", "Group", "Consulting", "Associates", "Partners", "Enterprises", "Ventures",
    "Trading", "Services", "Solutions", "Investments", "International", "UK", "Supplies",
)

# Real-world shapes that the patterns above never produce: accents, apostrophes,
# digits and symbols at the start, wide characters.
SPECIAL_COMPANY_NAMES = (
    "Café Lumière Ltd", "Crème de la Crème Patisserie Ltd", "Zoë's Kitchen Ltd", "Señor Taco Ltd",
    "Brasserie Bøgelund Ltd", "Königsberg Engineering Ltd", "Ångström Optics Ltd",
    "Naïve Designs Ltd", "Smørrebrød Deli Ltd", "Façade Restorations Ltd", "Über Clean Ltd",
    "Piñata Party Supplies Ltd", "Høgberg Design Ltd", "O'Brien & Sons Limited",
    "Smith and Jones LLP", "Thames Water Ltd", "1st Choice Plumbing Ltd", "24/7 Locksmiths Ltd",
    "3D Printing Hub Ltd", "@Home Lettings Ltd", "A-Z Removals Ltd", "Fish 'n' Chips Ltd",
    "St. John's Wood Dental Practice Ltd", "The Old Forge (Ludlow) Ltd", "Sakura 桜 Tea House Ltd",
    "Ye Olde Cheshire Cheese Ltd", "Llanfair Pwllgwyngyll Holiday Cottages Ltd",
    "Dŵr Cymru Consulting Ltd",
    "The Really Quite Exceptionally Long Named Bespoke Kitchen, Bathroom and Bedroom "
    "Design, Supply and Installation Company of Greater Manchester Limited",
)

INDUSTRIES = (
    "Accommodation", "Agriculture", "Architecture", "Arts & Entertainment", "Automotive",
    "Beauty & Wellbeing", "Charity", "Childcare", "Cleaning", "Construction", "Consultancy",
    "E-commerce", "Education", "Engineering", "Financial Services", "Food & Drink", "Healthcare",
    "Hospitality", "IT & Software", "Legal", "Logistics", "Manufacturing", "Marketing & Media",
    "Personal Services", "Property", "Recruitment", "Retail", "Sport", "Trades", "Travel",
)

STREETS = (
    "High Street", "Station Road", "Church Lane", "Mill Lane", "Victoria Road", "Park Road",
    "London Road", "Market Place", "King Street", "Queen Street", "New Road", "Manor Road",
    "The Green", "School Lane", "North Street", "Bridge Street", "Castle Street", "Chapel Lane",
    "Orchard Close", "Riverside Walk", "Harbour Way", "Quay Street", "Albert Road", "George Street",
    "West Street", "Broad Street", "Commercial Road", "Union Street", "Dock Road", "Canal Side",
)

POSTCODE_OUTWARDS = (
    "SW1A", "SW1W", "EC1A", "EC1V", "EC2A", "WC2H", "W1A", "W1D", "N1", "N1C", "E1W", "E8", "SE15",
    "NW3", "CR0", "BR1", "KT1", "TW9", "HA1", "EN1", "IG1", "RM1", "DA1", "B1", "B15", "M1", "M4",
    "M20", "L1", "L8", "LS1", "LS6", "S1", "S10", "NE1", "NE6", "SR1", "DH1", "CA1", "CA12", "LA1",
    "LA9", "PR1", "FY1", "CH1", "SY1", "SY8", "SY23", "HR1", "WR1", "GL1", "GL50", "SN1", "RG1",
    "SL1", "GU1", "BN1", "TN34", "CT1", "CT16", "ME14", "CM1", "CO1", "IP1", "IP33", "NR1", "PE1",
    "PE27", "PE30", "LN1", "DN31", "EX1", "EX39", "PL1", "TR1", "TR11", "TR18", "TQ1", "TA1", "SP1",
    "SO14", "SO23", "PO1", "BH1", "BH15", "DT1", "CF10", "SA1", "NP20", "LL11", "LL30", "LL57",
    "EH1", "EH8", "G1", "G12", "AB10", "DD1", "IV1", "PH1", "FK8", "BT1", "BT7", "BT35", "BT48",
    "BT61", "HG1", "YO11", "YO21", "AL1", "CV34", "CV37", "CB7", "BA5", "MK9", "ST1", "WV1", "SK1",
    "HX1", "BD1", "HD1", "WF1",
)
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Used only for Precision source clients and the clients they are meant to match.
DISTINCTIVE_STEMS = (
    "Ashgrove", "Brackenbury", "Coldharbour", "Dunsford", "Elmstead", "Fernleigh", "Glenholme",
    "Hazelmere", "Ivybridge", "Juniperhill", "Kingsmoor", "Larkspur", "Marchwood", "Netherby",
    "Oakenshaw", "Pendleford", "Quarrybank", "Rosedene", "Silverdale", "Thornbury", "Underwood",
    "Vinehall", "Westcombe", "Yewtree", "Alderbrook", "Birchfield", "Chalkhill", "Deerpark",
    "Eastbrook", "Foxcombe", "Greystoke", "Hollinwood", "Inglewood", "Kestrelmere", "Lindenhurst",
    "Millbrook", "Northwold", "Oxenhope", "Primrosehill", "Redcliffe", "Stonebridge", "Tanglewood",
    "Upperthorpe", "Valeview", "Whitethorn", "Wychwood", "Ambleside", "Beechcroft", "Cranbrook",
    "Driftwood",
)
UNMATCHED_STEMS = (
    "Quillfeather", "Zephyrine", "Marrowby", "Thornquist", "Vellacott", "Wrexley", "Yarnold",
    "Quenby", "Ossory", "Pellinore", "Xanthe", "Zarkov", "Quorndon", "Vexley", "Jolliffe",
    "Kettleby", "Murgatroyd", "Niblett", "Ormerod", "Prideaux", "Quested", "Rattray", "Scattergood",
    "Tregothnan", "Uglow", "Venning", "Wimbush", "Yeoward", "Zouche", "Quartley",
)
UNMATCHED_NOUNS = (
    "Orrery", "Astrolabe", "Sextant", "Zoetrope", "Gramophone", "Harpsichord", "Tapestry",
    "Menagerie", "Apothecary", "Observatory", "Cartography", "Haberdashery", "Ironmongery",
    "Chandlery", "Cooperage", "Saddlery", "Taxidermy", "Horology", "Bookbindery", "Glassworks",
)
# fmt: on

SOLE_TRADER_MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")
INTEGRATION_SOFTWARE_WEIGHTED = (
    ("xero",) * 5 + ("quickbooks_online",) * 3 + ("sage",) * 2 + ("freeagent", "kashflow")
)
PRECISION_SOFTWARE_WEIGHTED = ("xero",) * 3 + ("quickbooks_online",) * 2
RARE_CRN_PREFIXES = ("FC", "IP", "RC", "CE", "SE", "R0", "GE")
NI_FIRST_LETTERS = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND_LETTERS = "ABCEGHJKLMNPRSTWXYZ"
NI_UNUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
NI_PREFIXES = tuple(
    first + second
    for first in NI_FIRST_LETTERS
    for second in NI_SECOND_LETTERS
    if first + second not in NI_UNUSED_PREFIXES
)

PRODUCT_STATUS_MIXES = tuple(
    (prepare, precision, solo)
    for prepare in ("active", "invited", "deactivated", "not_set_up")
    for precision in ("active", "invited", "deactivated", "not_set_up")
    for solo in ("active", "invited", "deactivated", "not_set_up")
    if (prepare, precision, solo) != ("not_set_up",) * 3
)

# Cumulative thresholds for one `random()` roll each.
Odds = tuple[tuple[float, str], ...]
COMPANY_PREPARE: Odds = ((0.72, "active"), (0.80, "invited"), (0.85, "deactivated"))
COMPANY_PRECISION: Odds = ((0.33, "active"), (0.38, "invited"), (0.41, "deactivated"))
COMPANY_SOLO: Odds = ((0.03, "active"), (0.04, "invited"), (0.045, "deactivated"))
SOLE_TRADER_PREPARE: Odds = ((0.30, "active"), (0.35, "invited"), (0.37, "deactivated"))
SOLE_TRADER_PRECISION: Odds = ((0.03, "active"), (0.035, "invited"))
SOLE_TRADER_SOLO: Odds = ((0.75, "active"), (0.85, "invited"), (0.90, "deactivated"))
CLIENT_STATE_ODDS: Odds = ((0.90, "active"), (0.97, "deactivated"), (1.0, "removed"))
INTEGRATION_ODDS: Odds = (
    (0.58, "connected"),
    (0.70, "expired"),
    (0.78, "mismatch"),
    (1.0, "unintegrated"),
)
SOLE_TRADER_SHARE = 0.22
CLIENT_USERS_SHARE = 0.25
CREATED_SPAN = timedelta(days=8 * 365)
DAY_SECONDS = 86_400


def _pick(roll: float, odds: Odds, otherwise: str = "not_set_up") -> str:
    for threshold, value in odds:
        if roll < threshold:
            return value
    return otherwise


LEGAL_SUFFIX = re.compile(r"\s+(?:ltd\.?|limited|llp|plc)$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def _slug(words: str) -> str:
    """ASCII letters and digits only, for the local part and domain of demo emails."""
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or "client"


# ---------------------------------------------------------------------------
# Team
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMemberSpec:
    """A colleague of the demo practice; `access_share` is the part of all
    clients a standard user is granted."""

    name: str
    login_name: str
    role: str
    email: str = ""
    can_add_clients: bool = False
    active: bool = True
    access_share: float = 0.0

    def email_address(self) -> str:
        return self.email or f"{self.login_name}@demo-practice.example"


DEMO_TEAM = (
    TeamMemberSpec("Sam Harbour", "demo", "practice_admin", email=DEMO_ADMIN_EMAIL),
    TeamMemberSpec("Olivia Vale", "ovale", "practice_admin"),
    TeamMemberSpec("Rajesh Kumar", "rkumar", "client_admin"),
    TeamMemberSpec("Fiona MacLeod", "fmacleod", "client_admin"),
    TeamMemberSpec("Tom Okafor", "tokafor", "standard", can_add_clients=True, access_share=0.10),
    TeamMemberSpec("Aisling Byrne", "abyrne", "standard", can_add_clients=True, access_share=0.08),
    TeamMemberSpec("Megan Lloyd", "mlloyd", "standard", access_share=0.07),
    TeamMemberSpec("Wojciech Nowak", "wnowak", "standard", access_share=0.06),
    TeamMemberSpec("Grace Adeyemi", "gadeyemi", "standard", access_share=0.05),
    TeamMemberSpec("Harry Fenwick", "hfenwick", "standard", active=False, access_share=0.05),
)


def _team_rows() -> list[Row]:
    return [
        {
            "id": member_id,
            "practice_id": PRACTICE_ID,
            "name": spec.name,
            "email": spec.email_address(),
            "login_name": spec.login_name,
            "role": spec.role,
            "can_add_clients": spec.can_add_clients,
            "active": spec.active,
        }
        for member_id, spec in enumerate(DEMO_TEAM, start=1)
    ]


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


class NameMaker:
    """Plausible UK business and personal names from the word lists."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._patterns: tuple[tuple[float, Callable[[], tuple[str, str]]], ...] = (
            (0.20, self._surname_trade),
            (0.33, self._place_trade),
            (0.41, self._surname_and_family),
            (0.49, self._two_surnames),
            (0.61, self._adjective_noun),
            (0.71, self._place_noun),
            (0.78, self._surname_business),
            (0.85, self._adjective_trade),
            (0.89, self._the_company),
            (0.95, self._initials_trade),
            (0.99, self._place_business),
            (1.0, self._special),
        )
        self._used_distinctive: set[str] = set()
        self._unused_specials = list(SPECIAL_COMPANY_NAMES)

    def company(self) -> tuple[str, str]:
        """(name, legal form): form is ltd, plc, llp or partnership (no CRN)."""
        roll = self._rng.random()
        for threshold, pattern in self._patterns:
            if roll < threshold:
                return pattern()
        return self._special()

    def person(self) -> tuple[str, str]:
        return self._rng.choice(FIRST_NAMES), self._rng.choice(SURNAMES)

    def sole_trader(self, first: str, last: str) -> str:
        roll = self._rng.random()
        if roll < 0.75:
            return f"{first} {last}"
        if roll < 0.9:
            return f"{first} {last} {self._rng.choice(TRADES)}"
        return f"{first[0]}. {last} {self._rng.choice(TRADES)}"

    def distinctive(self) -> str:
        """A name no other generated client has, even after normalisation.

        Uniqueness is kept on the words that survive normalisation (stem and
        body), so "X Plumbing Ltd" and "X Plumbing Limited" are never both made.
        """
        rng = self._rng
        for attempt in range(1000):
            stem = rng.choice(DISTINCTIVE_STEMS)
            roll = rng.random()
            if attempt >= 20:  # the short forms are used up: add a place
                body = f"{rng.choice(PLACES)} {rng.choice(TRADES)}"
            elif roll < 0.6:
                body = rng.choice(TRADES)
            elif roll < 0.85:
                body = f"& {rng.choice(SURNAMES)}"
            else:
                body = "& Sons"
            key = f"{stem} {body}"
            if key not in self._used_distinctive:
                self._used_distinctive.add(key)
                return f"{key} {'Ltd' if rng.random() < 0.55 else 'Limited'}"
        raise RuntimeError("ran out of distinctive demo names")

    def unmatched(self) -> str:
        rng = self._rng
        return f"{rng.choice(UNMATCHED_STEMS)} {rng.choice(UNMATCHED_NOUNS)} Ltd"

    def _suffix(self) -> tuple[str, str]:
        roll = self._rng.random()
        if roll < 0.60:
            return " Ltd", "ltd"
        if roll < 0.86:
            return " Limited", "ltd"
        if roll < 0.89:
            return " Ltd.", "ltd"
        if roll < 0.92:
            return " LTD", "ltd"
        if roll < 0.93:
            return " plc", "plc"
        return "", "partnership"

    def _with_suffix(self, stem: str) -> tuple[str, str]:
        suffix, form = self._suffix()
        return stem + suffix, form

    def _surname_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(SURNAMES)} {self._rng.choice(TRADES)}")

    def _place_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(TRADES)}")

    def _surname_and_family(self) -> tuple[str, str]:
        family = self._rng.choice(("& Sons", "& Son", "& Daughters", "& Co", "and Sons"))
        return self._with_suffix(f"{self._rng.choice(SURNAMES)} {family}")

    def _two_surnames(self) -> tuple[str, str]:
        rng = self._rng
        joiner = " & " if rng.random() < 0.6 else " and "
        pair = f"{rng.choice(SURNAMES)}{joiner}{rng.choice(SURNAMES)}"
        if rng.random() < 0.4:
            return f"{pair} LLP", "llp"
        return self._with_suffix(pair)

    def _adjective_noun(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(ADJECTIVES)} {self._rng.choice(NOUNS)}")

    def _place_noun(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(NOUNS)}")

    def _surname_business(self) -> tuple[str, str]:
        words = f"{self._rng.choice(SURNAMES)} {self._rng.choice(BUSINESS_WORDS)}"
        return self._with_suffix(words)

    def _adjective_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(ADJECTIVES)} {self._rng.choice(TRADES)}")

    def _the_company(self) -> tuple[str, str]:
        rng = self._rng
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} Company Ltd", "ltd"

    def _initials_trade(self) -> tuple[str, str]:
        rng = self._rng
        letters = "ABCDEFGHJKLMNPRSTW"
        if rng.random() < 0.5:
            initials = f"{rng.choice(letters)}&{rng.choice(letters)}"
        else:
            initials = "".join(rng.choice(letters) for _ in range(3))
        return self._with_suffix(f"{initials} {rng.choice(TRADES)}")

    def _place_business(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(BUSINESS_WORDS)}")

    def _special(self) -> tuple[str, str]:
        """Each hard case once: a hundred "@Home Lettings Ltd" would fill the first screen."""
        if not self._unused_specials:
            return self._surname_trade()
        name = self._unused_specials.pop(int(self._rng.random() * len(self._unused_specials)))
        return name, "llp" if name.endswith(" LLP") else "ltd"


def _ltd_to_limited(name: str) -> str:
    return re.sub(r"\bLtd\b\.?", "Limited", name)


def _limited_to_ltd(name: str) -> str:
    return re.sub(r"\bLimited\b", "Ltd", name)


def _ampersand_to_and(name: str) -> str:
    return name.replace(" & ", " and ")


def _and_to_ampersand(name: str) -> str:
    return name.replace(" and ", " & ")


def _add_punctuation(name: str) -> str:
    return re.sub(r"\b(Ltd|Limited)$", r"\1.", name.replace(" & ", ", & ", 1))


def _double_spaces(name: str) -> str:
    return name.replace(" ", "  ", 1)


NAME_VARIANT_RULES: tuple[Callable[[str], str], ...] = (
    _ltd_to_limited,
    _limited_to_ltd,
    _ampersand_to_and,
    _and_to_ampersand,
    str.upper,
    str.lower,
    _add_punctuation,
    _double_spaces,
)


def name_variant(rng: random.Random, name: str) -> str:
    """The same business written differently, as the import matcher must tolerate:
    Ltd/Limited, &/and, case, punctuation and spacing."""
    variant = name
    for _ in range(2):
        rules = [rule for rule in NAME_VARIANT_RULES if rule(variant) != variant]
        variant = rng.choice(rules)(variant)
        if rng.random() < 0.5:
            break
    return variant if variant != name else name.lower()


# ---------------------------------------------------------------------------
# Plan: which clients must have a particular shape
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ForcedProfile:
    """Overrides for one client, so every status mix and every kind of
    Precision source match exists even in a small demo."""

    statuses: tuple[str, str, str] | None = None
    state: str = "active"
    integration: str | None = None
    needs_crn: bool = False
    distinctive_name: bool = False
    source_match: str | None = None  # "crn" or "name": a Precision source client points here


@dataclass
class SourceTargets:
    """Clients that Precision source clients are generated to match."""

    by_crn: list[tuple[str, str]] = field(default_factory=list)  # (name, crn)
    by_name: list[str] = field(default_factory=list)


def _source_split(precision_pending: int, clients: int) -> tuple[int, int, int]:
    """(by CRN, by name, unmatched): thirds, with targets capped at half the clients."""
    by_crn = (precision_pending + 2) // 3
    by_name = (precision_pending + 1) // 3
    room = clients // 2
    by_crn = min(by_crn, room)
    by_name = min(by_name, room - by_crn)
    return by_crn, by_name, precision_pending - by_crn - by_name


def _coverage_profiles() -> list[ForcedProfile]:
    """Every product status mix on an active client, plus each client state."""
    profiles = []
    integration_turn = 0
    for mix in PRODUCT_STATUS_MIXES:
        integration = None
        if mix[0] in ("active", "deactivated"):
            integration = INTEGRATION_ODDS[integration_turn % len(INTEGRATION_ODDS)][1]
            integration_turn += 1
        profiles.append(ForcedProfile(statuses=mix, integration=integration))
    profiles.append(ForcedProfile(statuses=("active", "active", "not_set_up"), state="deactivated"))
    profiles.append(ForcedProfile(statuses=("active", "not_set_up", "not_set_up"), state="removed"))
    return profiles


def _source_target_profile(rng: random.Random, match: str) -> ForcedProfile:
    prepare = "active" if rng.random() < 0.8 else "invited"
    return ForcedProfile(
        statuses=(prepare, "not_set_up", "not_set_up"),
        needs_crn=match == "crn",
        distinctive_name=match == "name",
        source_match=match,
    )


def plan_forced_profiles(
    rng: random.Random, clients: int, by_crn: int, by_name: int
) -> dict[int, ForcedProfile]:
    """Client index -> the shape it must have; everyone else is drawn at random."""
    targets = [_source_target_profile(rng, "crn") for _ in range(by_crn)]
    targets += [_source_target_profile(rng, "name") for _ in range(by_name)]
    coverage = _coverage_profiles()[: clients - len(targets)]
    profiles = targets + coverage
    indices = rng.sample(range(clients), len(profiles))
    return dict(zip(indices, profiles, strict=True))


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


@dataclass
class ChunkRows:
    clients: list[Row] = field(default_factory=list)
    prepare: list[Row] = field(default_factory=list)
    precision: list[Row] = field(default_factory=list)
    solo: list[Row] = field(default_factory=list)
    client_users: list[Row] = field(default_factory=list)
    access: list[Row] = field(default_factory=list)

    def in_insert_order(self) -> Iterator[tuple[Table, list[Row]]]:
        """Tables in foreign-key order."""
        yield Client.__table__, self.clients
        yield PrepareAccount.__table__, self.prepare
        yield PrecisionAccount.__table__, self.precision
        yield SoloAccount.__table__, self.solo
        yield ClientUser.__table__, self.client_users
        yield PracticeAccess.__table__, self.access


@dataclass(frozen=True, slots=True)
class ClientIdentity:
    """What the product accounts of one client copy from it."""

    client_id: int
    name: str
    crn: str | None
    practice_code: str | None
    person: tuple[str, str] | None
    created_at: datetime


class UniqueCodes:
    """CRNs and practice codes, unique by construction: each series only grows."""

    def __init__(self, rng: random.Random, clients: int) -> None:
        self._rng = rng
        self._crn_next = {"": rng.randrange(100_000, 400_000)}
        self._crn_gap = max(1, min(12, 90_000_000 // max(1, clients)))
        self._house_number = 0
        self._house_width = max(4, len(str(clients)))
        self._per_stem: dict[str, int] = {}
        self._per_year: dict[int, int] = {}

    def crn(self, prefix: str = "") -> str:
        current = self._crn_next.get(prefix)
        if current is None:
            current = self._rng.randrange(1_000, 60_000)
        gap = self._crn_gap if not prefix else 3
        number = current + 1 + int(self._rng.random() * gap)
        if prefix and number > 999_999:
            return self.crn()
        self._crn_next[prefix] = number
        return f"{prefix}{number:06d}" if prefix else f"{number:08d}"

    def crn_for(self, legal_form: str, needs_crn: bool = False) -> str | None:
        roll = self._rng.random()
        if legal_form == "llp":
            return self.crn("OC" if roll < 0.85 else "SO" if roll < 0.95 else "NC")
        if legal_form == "sole_trader" and not needs_crn:
            return self.crn() if roll < 0.08 else None
        if legal_form == "partnership" and not needs_crn:
            return None
        if roll < 0.03 and not needs_crn:
            return None
        if roll < 0.88:
            return self.crn()
        if roll < 0.94:
            return self.crn("SC")
        if roll < 0.97:
            return self.crn("NI")
        return self.crn(self._rng.choice(RARE_CRN_PREFIXES))

    def practice_code(self, name: str, created_at: datetime) -> str | None:
        roll = self._rng.random()
        if roll < 0.15:
            return None
        if roll < 0.78:
            self._house_number += 1
            return f"HV{self._house_number:0{self._house_width}d}"
        if roll < 0.93:
            stem = re.sub(r"[^A-Za-z]", "", name)[:4].upper() or "CL"
            count = self._per_stem.get(stem, 0) + 1
            self._per_stem[stem] = count
            code = f"{stem}/{count:02d}"
            return code.lower() if roll > 0.9 else code
        year = created_at.year
        count = self._per_year.get(year, 0) + 1
        self._per_year[year] = count
        return f"{year}-{count:03d}"


class DemoRowFactory:
    """Builds the rows of the demo practice, client by client, in id order."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        clients: int,
        forced: dict[int, ForcedProfile],
    ) -> None:
        self._rng = rng
        self._now = now
        self._names = NameMaker(rng)
        self._codes = UniqueCodes(rng, clients)
        self._forced = forced
        self._next_client_user_id = 1
        self.targets = SourceTargets()
        self._client_admin_ids = [
            member_id
            for member_id, spec in enumerate(DEMO_TEAM, start=1)
            if spec.role == "client_admin"
        ]
        self._standard_access = [
            (member_id, spec.access_share, spec.active)
            for member_id, spec in enumerate(DEMO_TEAM, start=1)
            if spec.role == "standard"
        ]

    @property
    def codes(self) -> UniqueCodes:
        return self._codes

    @property
    def names(self) -> NameMaker:
        return self._names

    def chunk(self, first_index: int, count: int) -> ChunkRows:
        rows = ChunkRows()
        for index in range(first_index, first_index + count):
            self._add_client(rows, index)
        return rows

    # -- one client -------------------------------------------------------

    def _add_client(self, rows: ChunkRows, index: int) -> None:
        rng = self._rng
        profile = self._forced.get(index)
        client_id = index + 1
        sole_trader = rng.random() < SOLE_TRADER_SHARE
        if profile is not None and (profile.needs_crn or profile.distinctive_name):
            sole_trader = False
        if profile is not None and profile.statuses == ("not_set_up", "not_set_up", "active"):
            sole_trader = True

        person: tuple[str, str] | None = None
        if sole_trader:
            person = self._names.person()
            name, legal_form = self._names.sole_trader(*person), "sole_trader"
        elif profile is not None and profile.distinctive_name:
            name, legal_form = self._names.distinctive(), "ltd"
        else:
            name, legal_form = self._names.company()
        needs_crn = profile is not None and profile.needs_crn
        crn = self._codes.crn_for(legal_form, needs_crn)

        created_at = self._now - timedelta(
            seconds=DAY_SECONDS + int(rng.random() * CREATED_SPAN.total_seconds())
        )
        identity = ClientIdentity(
            client_id,
            name,
            crn,
            self._codes.practice_code(name, created_at),
            person,
            created_at,
        )
        state = profile.state if profile else _pick(rng.random(), CLIENT_STATE_ODDS)
        statuses = profile.statuses if profile and profile.statuses else None
        prepare, precision, solo = statuses or self._random_statuses(sole_trader)
        if state == "deactivated":
            prepare, precision, solo = (
                "deactivated" if status != "not_set_up" else status
                for status in (prepare, precision, solo)
            )

        rows.clients.append(self._client_row(identity, state))
        granted = self._add_access(rows, client_id, prepare, precision)
        if prepare != "not_set_up":
            manager = self._account_manager(granted)
            if manager in granted:
                granted[manager]["account_manager"] = True
            integration = profile.integration if profile else None
            rows.prepare.append(
                self._prepare_row(identity, prepare, legal_form, integration, manager)
            )
            if prepare != "invited" and rng.random() < CLIENT_USERS_SHARE:
                self._add_client_users(rows, identity)
        if precision != "not_set_up":
            rows.precision.append(self._precision_row(client_id, precision))
        if solo != "not_set_up":
            rows.solo.append(self._solo_row(identity, solo, sole_trader))
        if profile is not None and profile.source_match == "crn" and crn is not None:
            self.targets.by_crn.append((name, crn))
        if profile is not None and profile.source_match == "name":
            self.targets.by_name.append(name)

    def _random_statuses(self, sole_trader: bool) -> tuple[str, str, str]:
        rng = self._rng
        if sole_trader:
            odds = (SOLE_TRADER_PREPARE, SOLE_TRADER_PRECISION, SOLE_TRADER_SOLO)
        else:
            odds = (COMPANY_PREPARE, COMPANY_PRECISION, COMPANY_SOLO)
        prepare, precision, solo = (_pick(rng.random(), product_odds) for product_odds in odds)
        if prepare == precision == solo == "not_set_up":
            if sole_trader:
                solo = "active"
            else:
                prepare = "active"
        return prepare, precision, solo

    def _client_row(self, identity: ClientIdentity, state: str) -> Row:
        rng = self._rng
        created_at = identity.created_at
        age_seconds = (self._now - created_at).total_seconds()
        deactivated_at = None
        if state == "deactivated":
            deactivated_at = max(created_at, self._ago(rng.random() * 400))
            updated_at, version = deactivated_at, 2 + int(rng.random() * 4)
        elif rng.random() < 0.55:
            updated_at, version = created_at, 1
        else:
            updated_at = created_at + timedelta(seconds=int(rng.random() * age_seconds))
            version = 2 + int(rng.random() * 5)
        return {
            "id": identity.client_id,
            "practice_id": PRACTICE_ID,
            "name": identity.name,
            "sort_name": sort_key(identity.name),
            "practice_code": identity.practice_code,
            "practice_code_key": practice_code_key(identity.practice_code),
            "crn": identity.crn,
            "state": state,
            "deactivated_at": deactivated_at,
            "created_at": created_at,
            "updated_at": updated_at,
            "version": version,
        }

    # -- practice access ----------------------------------------------------

    def _add_access(
        self, rows: ChunkRows, client_id: int, prepare: str, precision: str
    ) -> dict[int, Row]:
        """Grant some standard users this client; returns the active grantees' rows."""
        rng = self._rng
        granted: dict[int, Row] = {}
        has_prepare = prepare != "not_set_up"
        has_precision = precision != "not_set_up"
        for member_id, share, active in self._standard_access:
            if rng.random() >= share:
                continue
            bookkeeping = has_prepare and rng.random() < 0.9
            row = {
                "team_member_id": member_id,
                "client_id": client_id,
                "bookkeeping": bookkeeping,
                "approval": bookkeeping and rng.random() < 0.4,
                "data_health": has_precision and rng.random() < 0.85,
                "account_manager": rng.random() < 0.05,
            }
            rows.access.append(row)
            if active:
                granted[member_id] = row
        return granted

    def _account_manager(self, granted: dict[int, Row]) -> int | None:
        """A client admin, or a standard user who can see the client; most have none."""
        rng = self._rng
        if rng.random() >= 0.3:
            return None
        return rng.choice(self._client_admin_ids + list(granted))

    # -- Prepare --------------------------------------------------------------

    def _item_count(self) -> int:
        """Skewed like real practices: many small clients, a few with thousands."""
        rng = self._rng
        roll = rng.random()
        if roll < 0.12:
            return 0
        if roll < 0.85:
            return int(rng.random() ** 2 * 250)
        if roll < 0.98:
            return 250 + int(rng.random() * 2_500)
        return 2_750 + int(rng.random() ** 3 * 60_000)

    def _integration(self, status: str, name: str) -> tuple[str, str | None, str | None, Any]:
        """(status, software, organisation name, last sync) in Dext's connection states."""
        rng = self._rng
        software = rng.choice(INTEGRATION_SOFTWARE_WEIGHTED)
        if status == "connected":
            return status, software, name, self._ago(rng.random() * 3)
        if status == "expired":
            return status, software, name, self._ago(366 + rng.random() * 400)
        if status == "mismatch":
            other_name = self._names.company()[0]
            if other_name == name:
                other_name = f"{name} (old)"
            return status, software, other_name, self._ago(rng.random() * 30)
        return "unintegrated", None, None, None

    def _ago(self, days: float) -> datetime:
        return self._now - timedelta(seconds=int(days * DAY_SECONDS))

    def _prepare_row(
        self,
        identity: ClientIdentity,
        status: str,
        legal_form: str,
        forced_integration: str | None,
        account_manager: int | None,
    ) -> Row:
        rng = self._rng
        invited = status == "invited"
        costs = 0 if invited else self._item_count()
        sales = int(costs * rng.random() * 0.6)
        if invited:
            integration_status = "unintegrated"
        else:
            integration_status = forced_integration or _pick(rng.random(), INTEGRATION_ODDS)
        integration, software, org_name, last_sync = self._integration(
            integration_status, identity.name
        )
        country, currency, language = self._locale()
        vat_registered = legal_form != "sole_trader" and rng.random() < 0.45
        return {
            "client_id": identity.client_id,
            "status": status,
            "costs_count": costs,
            "sales_count": sales,
            "industry": rng.choice(INDUSTRIES) if rng.random() < 0.85 else None,
            "integration_software": software,
            "integration_status": integration,
            "integration_org_name": org_name,
            "integration_last_sync": last_sync,
            "account_manager_id": account_manager,
            "business_name": identity.name if rng.random() < 0.9 else None,
            "country": country,
            "base_currency": currency,
            "language": language,
            "registered_address": self._address() if rng.random() < 0.6 else None,
            "vat_number": self._vat_number() if vat_registered else None,
            "vat_cycle": self._vat_cycle() if vat_registered else None,
            "first_reporting_month": 1 + int(rng.random() * 12) if vat_registered else None,
            "extract_tax": vat_registered and rng.random() < 0.6,
        }

    def _locale(self) -> tuple[str, str, str]:
        roll = self._rng.random()
        if roll < 0.93:
            return "GB", "GBP", "en"
        if roll < 0.97:
            return "IE", "EUR", "en"
        if roll < 0.99:
            return "US", "USD", "en"
        return "FR", "EUR", "fr"

    def _vat_cycle(self) -> str:
        roll = self._rng.random()
        return "quarterly" if roll < 0.75 else "monthly" if roll < 0.85 else "annual"

    def _vat_number(self) -> str:
        """GB + 9 digits with a valid HMRC mod-97 check pair."""
        body = self._rng.randrange(1_000_000, 10_000_000)
        weighted = sum(
            int(digit) * weight for digit, weight in zip(str(body), range(8, 1, -1), strict=True)
        )
        check = -weighted % 97
        return f"GB{body}{check:02d}"

    def postcode(self) -> str:
        rng = self._rng
        letters = POSTCODE_INWARD_LETTERS
        inward = f"{int(rng.random() * 10)}{rng.choice(letters)}{rng.choice(letters)}"
        return f"{rng.choice(POSTCODE_OUTWARDS)} {inward}"

    def _address(self) -> str:
        rng = self._rng
        number = 1 + int(rng.random() * 250)
        return f"{number} {rng.choice(STREETS)}, {rng.choice(PLACES)}, {self.postcode()}"

    # -- client users ---------------------------------------------------------

    def _add_client_users(self, rows: ChunkRows, identity: ClientIdentity) -> None:
        """One owner (a business admin who cannot be re-roled), then 0-3 colleagues."""
        rng = self._rng
        domain = f"{_slug(LEGAL_SUFFIX.sub('', identity.name))}.example"
        others = _pick(rng.random(), ((0.4, "0"), (0.7, "1"), (0.9, "2")), otherwise="3")
        for position in range(1 + int(others)):
            owner = position == 0
            first, last = identity.person if owner and identity.person else self._names.person()
            rows.client_users.append(
                {
                    "id": self._next_client_user_id,
                    "client_id": identity.client_id,
                    "name": f"{first} {last}",
                    "email": f"{_slug(first)}.{_slug(last)}@{domain}",
                    "role": "business_admin" if owner else self._client_user_role(),
                    "active": owner or rng.random() < 0.9,
                    "is_owner": owner,
                }
            )
            self._next_client_user_id += 1

    def _client_user_role(self) -> str:
        roll = self._rng.random()
        return "business_admin" if roll < 0.15 else "user_admin" if roll < 0.4 else "standard"

    # -- Precision and Solo ---------------------------------------------------

    def _precision_row(self, client_id: int, status: str) -> Row:
        rng = self._rng
        return {
            "client_id": client_id,
            "status": status,
            "software": rng.choice(PRECISION_SOFTWARE_WEIGHTED),
            "visibility": "whole_team" if rng.random() < 0.8 else "software_users_only",
        }

    def _solo_row(self, identity: ClientIdentity, status: str, sole_trader: bool) -> Row:
        rng = self._rng
        first, last = identity.person or self._names.person()
        digits = str(int(rng.random() * 100)) if rng.random() < 0.3 else ""
        email = f"{_slug(first)}.{_slug(last)}{digits}@{rng.choice(SOLE_TRADER_MAIL_DOMAINS)}"
        ni_number = (
            f"{rng.choice(NI_PREFIXES)}{int(rng.random() * 1_000_000):06d}{rng.choice('ABCD')}"
        )
        return {
            "client_id": identity.client_id,
            "status": status,
            "email": email,
            "crn": identity.crn,
            "practice_code": identity.practice_code,
            "ni_number": ni_number,
            "postcode": self.postcode(),
            "business_name": identity.name,
            "business_type": self._solo_business_type(sole_trader),
            "collection_method": "costs_sales" if rng.random() < 0.7 else "bank",
        }

    def _solo_business_type(self, sole_trader: bool) -> str:
        if sole_trader and self._rng.random() < 0.2:
            return "uk_property"
        return "self_employment"


# ---------------------------------------------------------------------------
# Precision source clients
# ---------------------------------------------------------------------------


def precision_source_rows(rng: random.Random, factory: DemoRowFactory, unmatched: int) -> list[Row]:
    """Pending source clients: a CRN match, a name-variant match, or no match."""
    targets = factory.targets
    drafts: list[tuple[str, str | None]] = []
    for name, crn in targets.by_crn:
        drafts.append((name if rng.random() < 0.6 else name_variant(rng, name), crn))
    for name in targets.by_name:
        drafts.append(
            (name_variant(rng, name), factory.codes.crn() if rng.random() < 0.5 else None)
        )
    for _ in range(unmatched):
        drafts.append(
            (factory.names.unmatched(), factory.codes.crn() if rng.random() < 0.5 else None)
        )
    rng.shuffle(drafts)
    return [
        {
            "id": source_id,
            "practice_id": PRACTICE_ID,
            "name": name,
            "crn": crn,
            "software": rng.choice(PRECISION_SOFTWARE_WEIGHTED),
            "import_state": "pending",
            "client_id": None,
        }
        for source_id, (name, crn) in enumerate(drafts, start=1)
    ]


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedSummary:
    """What `seed_practice` created, for the CLI to report."""

    practice_id: int
    clients: int
    precision_pending: int
    team_members: int


def _refuse_existing_practice(conn: Connection) -> None:
    existing = conn.execute(select(func.count()).select_from(Practice.__table__)).scalar_one()
    if existing:
        raise ValueError(
            f"The database already holds {existing} practice(s); seed only into an empty database."
        )


def _bundle_limit(clients: int) -> int:
    """Room for the demo to add clients: at least 1,000, and 10% above the seeded count."""
    return (clients * 11 // 10 // 1_000 + 1) * 1_000


def _practice_row(clients: int) -> Row:
    return {
        "id": PRACTICE_ID,
        "name": DEMO_PRACTICE_NAME,
        "has_prepare": True,
        "has_precision": True,
        "has_solo": True,
        "client_bundle_limit": _bundle_limit(clients),
    }


def _insert(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    if rows:
        conn.execute(table.insert(), list(rows))


@contextmanager
def _large_sqlite_cache(conn: Connection) -> Iterator[None]:
    """SQLite only: a bigger page cache while the client indexes fill up.

    The sort-name index is filled in random order; with the default 2 MB cache
    most inserts touch pages that were just evicted. The old size is put back
    so the pooled connection is left as it was found.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = {SEED_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _reset_id_sequences(conn: Connection) -> None:
    """PostgreSQL only: explicit ids leave serial sequences behind; catch them up."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for model in (Practice, TeamMember, Client, ClientUser, PrecisionSourceClient):
        table_name = model.__table__.name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table_name, 'id'), "
                f"(SELECT max(id) FROM {quote(table_name)}))"
            ),
            {"table_name": table_name},
        )


def _audit_row(now: datetime, clients: int, precision_pending: int, seed: int) -> Row:
    after = {"clients": clients, "precision_pending": precision_pending, "seed": seed}
    return {
        "at": now,
        "team_member_id": 1,
        "client_id": None,
        "action": "seed",
        "before": None,
        "after": json.dumps(after, sort_keys=True),
    }


def seed_practice(
    engine: Engine,
    clients: int,
    precision_pending: int = 0,
    seed: int = 1,
    now: datetime | None = None,
) -> SeedSummary:
    """Create the demo practice in an empty, migrated database, in one transaction.

    Raises ValueError if the database already holds a practice: the demo's fixed
    ids would collide with it, and mixing demo data into real data helps no one.
    """
    if clients < 0 or precision_pending < 0:
        raise ValueError("clients and precision_pending must not be negative")
    now = FIXED_NOW if now is None else now
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    rng = random.Random(seed)
    by_crn, by_name, unmatched = _source_split(precision_pending, clients)
    forced = plan_forced_profiles(rng, clients, by_crn, by_name)
    factory = DemoRowFactory(rng, now, clients, forced)

    with engine.begin() as conn:
        _refuse_existing_practice(conn)
        _insert(conn, Practice.__table__, [_practice_row(clients)])
        _insert(conn, TeamMember.__table__, _team_rows())
        with _large_sqlite_cache(conn):
            for first_index in range(0, clients, CLIENTS_PER_INSERT):
                count = min(CLIENTS_PER_INSERT, clients - first_index)
                for table, rows in factory.chunk(first_index, count).in_insert_order():
                    _insert(conn, table, rows)
        sources = precision_source_rows(rng, factory, unmatched)
        _insert(conn, PrecisionSourceClient.__table__, sources)
        _insert(conn, AuditEvent.__table__, [_audit_row(now, clients, precision_pending, seed)])
        _reset_id_sequences(conn)

    return SeedSummary(
        practice_id=PRACTICE_ID,
        clients=clients,
        precision_pending=len(sources),
        team_members=len(DEMO_TEAM),
    )
