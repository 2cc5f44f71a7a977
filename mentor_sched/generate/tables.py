"""The generator's fixed tables: towns, names, school-day grids, demand levels."""

from ..words import WEEKDAY_KEYS

WEEKDAYS = WEEKDAY_KEYS

# real market towns (lat, lon), grouped by region; a cluster stays in one region
REGIONS: dict[str, list[tuple[str, float, float]]] = {
    "Stour and Colne": [
        ("Sudbury", 52.0380, 0.7310),
        ("Hadleigh", 52.0440, 0.9540),
        ("Lavenham", 52.1080, 0.7970),
        ("Clare", 52.0780, 0.5810),
        ("Haverhill", 52.0830, 0.4340),
        ("Halstead", 51.9450, 0.6400),
        ("Braintree", 51.8780, 0.5520),
        ("Manningtree", 51.9440, 1.0620),
        ("Stowmarket", 52.1880, 0.9970),
        ("Bury St Edmunds", 52.2460, 0.7110),
    ],
    "Fens and Ouse": [
        ("Huntingdon", 52.3310, -0.1840),
        ("St Ives", 52.3330, -0.0750),
        ("St Neots", 52.2280, -0.2700),
        ("Ely", 52.3990, 0.2620),
        ("March", 52.5510, 0.0880),
        ("Chatteris", 52.4560, 0.0530),
        ("Ramsey", 52.4490, -0.1040),
        ("Soham", 52.3330, 0.3370),
        ("Newmarket", 52.2450, 0.4060),
    ],
    "Nene and Welland": [
        ("Oundle", 52.4810, -0.4680),
        ("Kettering", 52.3980, -0.7260),
        ("Wellingborough", 52.3020, -0.6940),
        ("Market Harborough", 52.4770, -0.9210),
        ("Oakham", 52.6700, -0.7270),
        ("Uppingham", 52.5880, -0.7230),
        ("Stamford", 52.6520, -0.4800),
        ("Thrapston", 52.3970, -0.5380),
        ("Corby", 52.4880, -0.7010),
    ],
    "Cherwell and Windrush": [
        ("Banbury", 52.0620, -1.3400),
        ("Chipping Norton", 51.9420, -1.5460),
        ("Witney", 51.7850, -1.4850),
        ("Bicester", 51.8990, -1.1530),
        ("Thame", 51.7450, -0.9750),
        ("Wallingford", 51.6000, -1.1250),
        ("Wantage", 51.5880, -1.4260),
        ("Faringdon", 51.6560, -1.5860),
        ("Burford", 51.8080, -1.6360),
        ("Abingdon", 51.6710, -1.2820),
    ],
    "Avon and Arden": [
        ("Stratford-upon-Avon", 52.1920, -1.7080),
        ("Warwick", 52.2820, -1.5850),
        ("Shipston-on-Stour", 52.0630, -1.6230),
        ("Alcester", 52.2150, -1.8760),
        ("Southam", 52.2520, -1.3890),
        ("Kenilworth", 52.3410, -1.5660),
        ("Evesham", 52.0920, -1.9470),
        ("Henley-in-Arden", 52.2910, -1.7800),
    ],
    "South Holland and Kesteven": [
        ("Spalding", 52.7870, -0.1530),
        ("Bourne", 52.7680, -0.3780),
        ("Holbeach", 52.8050, 0.0130),
        ("Sleaford", 52.9980, -0.4090),
        ("Grantham", 52.9120, -0.6420),
        ("Wisbech", 52.6660, 0.1590),
        ("Long Sutton", 52.7860, 0.1210),
        ("Market Deeping", 52.6770, -0.3170),
    ],
    "Breckland": [
        ("Swaffham", 52.6480, 0.6870),
        ("Thetford", 52.4130, 0.7500),
        ("Diss", 52.3760, 1.1090),
        ("Downham Market", 52.6020, 0.3830),
        ("Watton", 52.5700, 0.8280),
        ("Attleborough", 52.5180, 1.0190),
        ("Dereham", 52.6810, 0.9400),
        ("Brandon", 52.4480, 0.6220),
    ],
    "Ouzel and Ivel": [
        ("Buckingham", 52.0000, -0.9870),
        ("Leighton Buzzard", 51.9170, -0.6600),
        ("Ampthill", 52.0260, -0.4950),
        ("Biggleswade", 52.0870, -0.2640),
        ("Olney", 52.1530, -0.7010),
        ("Newport Pagnell", 52.0870, -0.7220),
        ("Winslow", 51.9420, -0.8800),
        ("Sandy", 52.1310, -0.2970),
    ],
}

_FIRST = (  # noqa: SIM905
    "Aisha Alex Amelia Amir Anna Ben Beth Caleb Callum Chloe Chris Dan Dev "
    "Ella Emily Erin Ewan Faye Finn Freya George Grace Hannah Harry Imogen "
    "Isaac Jack Jade Jamal Jess Joe Josh Kate Kiran Laura Leah Liam Lily Lucy "
    "Maya Megan Mohammed Molly Nadia Nathan Nia Noah Olivia Omar Oscar Poppy "
    "Priya Rachel Rhys Rosa Ruby Ryan Sam Sana Sara Sophie Tariq Tom Zara Zoe "
    "Will Yusuf Owen Holly Abi Tess Luke Marcus Helen Ravi Nina Paul Kofi Ines "
    "Ada"
).split()
_LAST = (  # noqa: SIM905
    "Adams Ahmed Akhtar Bailey Barker Begum Bennett Brooks Carter Chapman "
    "Clarke Cole Cooper Davies Dixon Edwards Ellis Evans Fisher Fletcher "
    "Foster Green Hall Harris Hart Hughes Hussain Jackson James Jones Kaur "
    "Kelly Khan King Lewis Lloyd Marsh Mason Mills Moore Morgan Murphy Nash "
    "Nowak Okafor Osei Palmer Parker Patel Price Reid Reynolds Richards "
    "Roberts Shah Sharma Singh Smith Spencer Stone Taylor Thomas Turner Walker "
    "Ward Watson Webb West White Wilson Wood Wright Young Holt Idowu Haddad "
    "Rahman Whitaker Lang Kowalski"
).split()
_PRIMARY_NAMES = (  # noqa: SIM905
    "Meadow Church Castle Abbey Brook Orchard Riverside Greenfield Oak Willow "
    "Hill Priory Mill Park Field Beacon Heath Elm Fairfield Kingsway Spring "
    "Windmill Woodland Valley Station Bridge Chestnut Rowan Hawthorn Cedar"
).split()
_SAINTS = (
    "St Mary's CE",
    "St Peter's CE",
    "St John's",
    "All Saints CE",
    "Holy Trinity",
)
_SECONDARY_KINDS = ("Academy", "High School", "Community College", "School")
_TOPICS = (
    "High expectations",
    "How pupils learn",
    "Subject and curriculum",
    "Classroom practice",
    "Adaptive teaching",
    "Assessment",
    "Managing behaviour",
    "Professional behaviours",
    "Early reading and phonics",
    "Working with SENCOs",
    "Metacognition",
    "Working with parents",
)

# school-day grids (minutes since midnight): lessons a person may teach or be
# free in; adjacent entries merge into one range
_SECONDARY_PERIODS = ((530, 590), (590, 650), (670, 730), (780, 840), (840, 900))
_PRIMARY_BLOCKS = ((540, 615), (630, 720), (795, 855), (855, 915))
_PRIMARY_TRAINEE = ((540, 600), (615, 675), (675, 720), (795, 855), (855, 915))
_SPECIAL_BLOCKS = ((555, 630), (645, 720), (780, 840), (840, 900))

# demand intensity levels: (ect1 minutes, weeks), (ect2 ...), (ect obs ...),
# (trainee obs ...); level 1 is the example cluster's
_LEVELS = (
    ((60, 1), (60, 2), (60, 2), (60, 1)),
    ((45, 1), (45, 2), (50, 3), (50, 2)),
    ((30, 1), (30, 2), (50, 4), (50, 3)),
    ((30, 2), (30, 4), (50, 6), (50, 4)),
)
_GROUP_MINUTES = 75
_DAY_MINUTES = 520  # a working day, roughly 08:15-16:45 with a late day
