"""What the demo practice is drawn from: word lists, odds tables and the
constants every part of the seed shares."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

PRACTICE_ID = 1

Row = dict[str, Any]

# Word lists. Client names are built from these; the two "distinctive" lists
# at the end must share no word with the others (a test checks), so Precision
# source clients can be made to match exactly one client, or none.

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


def pick_by_odds(roll: float, odds: Odds, otherwise: str = "not_set_up") -> str:
    for threshold, value in odds:
        if roll < threshold:
            return value
    return otherwise
