"""Build the seed ledger from the facts coded below: ``python seeds/build.py``.

The seed document is the Dawn article of 7 December 2024 (``../shared/seeds/``). It is
someone else's text: this file holds facts from it, its citation and character spans,
and paraphrases in our own words, never its sentences. The test suite checks every span
against the article, and that the committed ledger files equal what this script writes.

Writes ``seeds/dawn-2024-12-07.claims.jsonl`` and the copy packaged with the library,
``src/conflict_ledger/data/dawn-2024-12-07.claims.jsonl`` (what ``load_seed()`` reads).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum

from conflict_ledger import (
    Advanced,
    Attacked,
    Captured,
    Claim,
    ControlLost,
    ControlVerb,
    Credibility,
    CrossingClosed,
    Document,
    Evidence,
    Extent,
    ForcesSent,
    Holds,
    Meeting,
    Modality,
    Precision,
    Source,
    SourceChain,
    SourceKind,
    Span,
    ValidTime,
    resolve_phrase,
)
from conflict_ledger.codec import write_claims_file

HERE = Path(__file__).resolve().parent
OUTPUTS = (
    HERE / "dawn-2024-12-07.claims.jsonl",
    HERE.parent / "src" / "conflict_ledger" / "data" / "dawn-2024-12-07.claims.jsonl",
)

DOCUMENT = Document(
    sha256="3411608c0419d8f4aee6dbb80a6e3515efd6c561c5e52022f61dc0c6252c317c",
    title="Iran, Hezbollah aim to bolster Assad as rebels target Syria\u2019s Homs",
    publication="Dawn",
    published=pendulum.date(2024, 12, 7),
    dateline="Beirut",
    carrying="Reuters",
    file="dawn-2024-12-07-iran-hezbollah-assad-homs.txt",
)

SOURCES = (
    Source(
        id="dawn",
        name="Dawn",
        kind=SourceKind.NEWSPAPER,
        description="Pakistani English-language daily, Karachi",
    ),
    Source(id="reuters", name="Reuters", kind=SourceKind.AGENCY),
    Source(
        id="senior-iranian-official", name="A senior Iranian official", kind=SourceKind.ANONYMOUS
    ),
    Source(id="syrian-sources", name="Syrian sources", kind=SourceKind.ANONYMOUS),
    Source(id="iraqi-security-source", name="An Iraqi security source", kind=SourceKind.ANONYMOUS),
    Source(
        id="jordan-interior-ministry", name="Jordan's interior ministry", kind=SourceKind.OFFICIAL
    ),
    Source(id="syrian-army-source", name="A Syrian army source", kind=SourceKind.ANONYMOUS),
    Source(
        id="lebanese-security-sources",
        name="Two senior Lebanese security sources",
        kind=SourceKind.ANONYMOUS,
    ),
    Source(
        id="sdf-commander", name="Head of the Syrian Democratic Forces", kind=SourceKind.ARMED_GROUP
    ),
)

# The print edition of 7 December 2024, Karachi: when these claims became public to us.
REPORTED = pendulum.datetime(2024, 12, 7, tz="Asia/Karachi")
# The wire copy was written on Friday 6 December; "on Friday", "overnight" and "now"
# are that day's words.
FRIDAY = pendulum.date(2024, 12, 6)
PAPER_DAY = pendulum.date(2024, 12, 7)
DAMASCUS = "Asia/Damascus"


def chain(origin: str) -> SourceChain:
    """``origin``, carried by Reuters, published by Dawn."""
    if origin == "reuters":
        return SourceChain.of("reuters", "dawn")
    return SourceChain.of(origin, "reuters", "dawn", said_on=FRIDAY)


def evidence(paraphrase: str, *spans: tuple[int, int]) -> Evidence:
    return Evidence(
        document=DOCUMENT.sha256,
        spans=tuple(Span(start=start, end=end) for start, end in spans),
        paraphrase=paraphrase,
    )


ON_FRIDAY = resolve_phrase("on Friday", reference=PAPER_DAY, tz=DAMASCUS)
THIS_WEEK = resolve_phrase("in a week", reference=FRIDAY, tz=DAMASCUS)


def claims() -> list[Claim]:
    """Every statement of the article that the vocabulary can hold, in article order."""

    def claim(number: int, **fields: object) -> Claim:
        return Claim(id=f"dawn-2024-12-07/c{number:02d}", reported_at=REPORTED, **fields)  # type: ignore[arg-type]

    return [
        claim(
            1,
            event=ForcesSent(
                actor="iran",
                destination="syria",
                supporting="syrian-government",
                description="missiles, drones and more military advisers",
            ),
            modality=Modality.PLANNED,
            valid=ValidTime.between(
                ON_FRIDAY.start, ON_FRIDAY.start.add(days=30), precision=Precision.MONTH
            ),
            source=chain("senior-iranian-official"),
            evidence=evidence(
                "Tehran intends to supply Syria's government with missiles, drones and extra "
                "advisers, according to an unnamed senior Iranian official.",
                (188, 288),
                (0, 36),
            ),
            note="No date is given for the deliveries; the window is the month after the "
            "statement, chosen by the analyst.",
        ),
        claim(
            2,
            event=Advanced(place="homs", actor="opposition"),
            valid=ON_FRIDAY,
            source=chain("reuters"),
            evidence=evidence(
                "Opposition forces pushed toward Homs, in central Syria.", (302, 373), (40, 66)
            ),
        ),
        claim(
            3,
            event=Holds(place="homs", actor="syrian-government"),
            valid=ON_FRIDAY,
            credibility=Credibility.PROBABLY_TRUE,
            source=chain("reuters"),
            evidence=evidence(
                "The report treats the fall of Homs as a possibility still ahead, so the "
                "government still held the city.",
                (472, 531),
            ),
            note="Inferred: the article speaks of Homs' capture as still to come.",
        ),
        claim(
            4,
            event=Captured(
                place="deir-ez-zor",
                actor="sdf",
                verb=ControlVerb.TOOK,
                from_actor="syrian-government",
            ),
            valid=ON_FRIDAY,
            source=chain("syrian-sources"),
            evidence=evidence(
                "Kurdish-led forces backed by Washington took Deir ez-Zor, until then the "
                "government's main stronghold in the eastern desert.",
                (680, 828),
                (378, 419),
            ),
        ),
        claim(
            5,
            event=ControlLost(place="aleppo", actor="syrian-government"),
            valid=THIS_WEEK,
            source=chain("reuters"),
            evidence=evidence(
                "Aleppo was one of the major cities the government lost during the past week.",
                (830, 950),
            ),
        ),
        claim(
            6,
            event=ControlLost(place="hama", actor="syrian-government"),
            valid=THIS_WEEK,
            source=chain("reuters"),
            evidence=evidence(
                "Hama was another major city the government lost during the past week.",
                (830, 950),
            ),
        ),
        claim(
            7,
            event=Advanced(place="albukamal", actor="sdf"),
            valid=ON_FRIDAY,
            source=chain("iraqi-security-source"),
            evidence=evidence(
                "The SDF were moving toward Albukamal, on the Iraqi border, per an Iraqi "
                "security official.",
                (976, 1124),
            ),
        ),
        claim(
            8,
            event=Captured(place="albukamal", actor="sdf"),
            modality=Modality.FORECAST,
            valid=resolve_phrase("within the next 24 hours", reference=FRIDAY, tz=DAMASCUS),
            source=chain("iraqi-security-source"),
            evidence=evidence(
                "The same Iraqi official expected the SDF might capture Albukamal within a day.",
                (1129, 1167),
                (976, 1124),
            ),
            note="Horizon: 24 hours from a statement made at an unknown hour on Friday.",
        ),
        claim(
            9,
            event=Captured(
                place="syria",
                actor="syrian-government",
                verb=ControlVerb.REGAINED,
                extent=Extent.MOST,
            ),
            valid=ValidTime.between(
                "2015-09-30T00:00:00+03:00", "2020-03-06T00:00:00+03:00", precision=Precision.YEARS
            ),
            source=chain("reuters"),
            evidence=evidence(
                "With Russian, Iranian and Hezbollah help, the government had earlier won back "
                "most of the country.",
                (1169, 1294),
            ),
            note="The article gives no dates; the window runs from Russia's intervention "
            "(30 Sep 2015) to the Idlib ceasefire (5 Mar 2020), from general knowledge.",
        ),
        claim(
            10,
            event=CrossingClosed(place="jaber-nassib", by="jordan"),
            valid=resolve_phrase("on Friday", reference=PAPER_DAY, tz="Asia/Amman"),
            source=chain("jordan-interior-ministry"),
            evidence=evidence(
                "Jordan shut Jaber-Nassib, its sole passenger and freight crossing into Syria.",
                (1434, 1550),
                (123, 154),
            ),
        ),
        claim(
            11,
            event=Attacked(place="jaber-nassib", actor="unidentified-armed-groups"),
            valid=ON_FRIDAY,
            source=chain("syrian-army-source"),
            evidence=evidence(
                "Unidentified gunmen fired on the Syrian side of the crossing with Jordan.",
                (1552, 1654),
            ),
        ),
        claim(
            12,
            event=ForcesSent(
                actor="hezbollah",
                destination="syria",
                origin="lebanon",
                supporting="syrian-government",
                description="a small number of supervising forces, to help hold Homs",
            ),
            valid=ValidTime.overnight(FRIDAY, tz="Asia/Beirut"),
            source=chain("lebanese-security-sources"),
            evidence=evidence(
                "During Thursday night Hezbollah moved a small supervisory detachment from "
                "Lebanon into Syria to help keep Homs from falling.",
                (1656, 1855),
            ),
        ),
        claim(
            13,
            event=Captured(place="eastern-syria", actor="islamic-state", extent=Extent.SOME),
            valid=THIS_WEEK,
            source=chain("sdf-commander"),
            evidence=evidence(
                "The SDF's commander said Islamic State had seized parts of eastern Syria.",
                (1922, 2128),
                (157, 179),
            ),
            note="'Now' is dated by the analyst to the week of the offensive.",
        ),
        claim(
            14,
            event=Meeting(
                participants=("iran", "russia", "turkiye"),
                place="doha",
                topic="the war in Syria (Astana format, foreign ministers)",
            ),
            modality=Modality.PLANNED,
            valid=resolve_phrase(
                "on Saturday", reference=PAPER_DAY, tz="Asia/Qatar", tense="future"
            ),
            source=chain("reuters"),
            evidence=evidence(
                "Iran's, Russia's and Turkiye's foreign ministers were due to confer on Syria "
                "in Doha on 7 December.",
                (2141, 2241),
                (69, 120),
            ),
        ),
        claim(
            15,
            event=Holds(place="tartus-naval-base", actor="russia"),
            valid=ON_FRIDAY,
            source=chain("reuters"),
            evidence=evidence("Russia has a naval base on the Syrian coast.", (576, 646)),
            note="The article does not name the base; identified as Tartus by the analyst.",
        ),
        claim(
            16,
            event=Holds(place="hmeimim-air-base", actor="russia"),
            valid=ON_FRIDAY,
            source=chain("reuters"),
            evidence=evidence("Russia has an air base on the Syrian coast.", (576, 646)),
            note="The article does not name the base; identified as Hmeimim by the analyst.",
        ),
    ]


def main() -> int:
    for output in OUTPUTS:
        write_claims_file(
            output,
            claims(),
            values=(DOCUMENT, *SOURCES),
            gazetteer="syria",
            header={
                "title": "Claims in Dawn, 7 December 2024 (Reuters copy, Beirut dateline)",
                "built_by": "seeds/build.py",
            },
        )
        print(f"wrote {output.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
