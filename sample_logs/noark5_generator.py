"""A realistic generated Noark 5 v5.0 export of a municipality's building-permit process, with ground truth.

`generate_noark5(out_dir, cases=2000, seed=7)` writes `arkivuttrekk.xml`, `arkivstruktur.xml` and
`endringslogg.xml` (schema-valid against the v5.0 XSDs) and `truth.json`: the cases and the events the
Noark 5 mapping (../shared/noark5/MAPPING.md) gives for them, counted per activity and per case, plus
the planted personal data (fictitious names, titles, synthetic fødselsnumre) that must never reach the
store. Files are written as they are generated, one case at a time, so `cases=20_000` costs no memory.

The export mixes three process types, as a real one does: building permits (klasse L42: applications
I, acknowledgements, deficiency letters and the rework they cause, neighbours' objections, hearings,
internal notes N and X, decisions U approved through dokumentflyt, appeals, completion certificates),
zoning plans (L12, with a case paper S to the political committee) and a few housing loans classified by
the applicant's fødselsnummer (klassifikasjonstype PNR). Every fødselsnummer is synthetic (month + 80,
the test-number range), so none can belong to a real person.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from .noark5_cases import Case, _Gen, START

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dt(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


# --- the mapping, written out independently for the ground truth -------------------------------------


def truth_events(case: Case) -> list[tuple[str, str]]:
    """(activity, precision) of every event MAPPING.md gives for one generated case."""
    out = [("Sak opprettet", "day")]
    for jp in case.jps:
        q = f": {jp.kind}" if jp.kind else ""
        if jp.code in ("I", "N"):
            out.append((f"{jp.code} mottatt{q}", "second" if jp.mottatt else "day"))
        out.append((f"{jp.code} journalført{q}", "day"))
        out += [("Dokument tilknyttet", "second")] * len(jp.docs)
        for fl in jp.flows:
            out.append(("Til godkjenning", "second"))
            out.append(("Godkjent" if fl.status == "Godkjent" else "Returnert", "second"))
        if jp.code in ("U", "X", "S", "N") and (jp.sendt or jp.code == "U"):
            out.append((f"{jp.code} sendt{q}", "second" if jp.sendt else "day"))
        out += [(f"{jp.code} avskrevet ({w.label})", "day") for w in jp.writeoffs]
    labels = {"saksstatus": "Saksstatus endret", "journalstatus": "Journalstatus endret",
              "saksansvarlig": "Saksansvarlig endret"}
    for ch in case.changes:
        if ch.field in labels:
            suffix = f": {ch.new}" if ch.field in ("saksstatus", "journalstatus") else ""
            out.append((labels[ch.field] + suffix, "second"))
    out.append(("Sak avsluttet" if case.status == "Avsluttet" else f"Sak avsluttet ({case.status})", "second"))
    return out


# --- writing -----------------------------------------------------------------------------------------


def _el(tag: str, value: object) -> str:
    return f"<{tag}>{_esc(str(value))}</{tag}>"


def _write_case(out: TextIO, case: Case, gen: _Gen, arkivdel_id: str) -> None:
    rng = gen.rng
    p: list[str] = ['<mappe xsi:type="saksmappe">', _el("systemID", case.sid),
                    _el("mappeID", f"{case.year}/{case.seq}"), _el("tittel", case.title),
                    _el("offentligTittel", f"{case.title.rsplit(' - ', 1)[0]} - *****"),
                    _el("dokumentmedium", "Elektronisk arkiv"), _el("opprettetDato", _dt(case.created)),
                    _el("opprettetAv", case.responsible), _el("avsluttetDato", _dt(case.closed)),
                    _el("avsluttetAv", case.responsible), _el("referanseArkivdel", arkivdel_id)]
    if case.applicant_fnr:
        p += ["<part>", _el("partID", case.applicant_fnr), _el("partNavn", case.applicant),
              _el("partRolle", "Søker"), _el("postadresse", gen.address()),
              _el("postnummer", f"{rng.randint(1, 9999):04d}"),
              _el("poststed", "Fjordby"), "</part>"]
    for n, jp in enumerate(case.jps, start=1):
        gen.journal_seq[jp.journaldato.year] += 1
        p += ['<registrering xsi:type="journalpost">', _el("systemID", jp.sid), _el("opprettetDato", _dt(jp.created)),
              _el("opprettetAv", jp.docs[0].attached_by),
              _el("arkivertDato", _dt(jp.created + timedelta(days=1))), _el("arkivertAv", rng.choice(gen.archivists))]
        for k, doc in enumerate(jp.docs, start=1):
            p += ["<dokumentbeskrivelse>", _el("systemID", doc.sid), _el("dokumenttype", doc.dokumenttype),
                  _el("dokumentstatus", "Dokumentet er ferdigstilt"), _el("tittel", doc.title),
                  _el("opprettetDato", _dt(doc.attached)), _el("opprettetAv", doc.attached_by),
                  _el("dokumentmedium", "Elektronisk arkiv"), _el("tilknyttetRegistreringSom", doc.role),
                  _el("dokumentnummer", k), _el("tilknyttetDato", _dt(doc.attached)),
                  _el("tilknyttetAv", doc.attached_by),
                  "<dokumentobjekt>", _el("systemID", gen.uuid()), _el("versjonsnummer", 1),
                  _el("variantformat", "Arkivformat"), _el("format", "RA-PDF"),
                  _el("opprettetDato", _dt(doc.attached)), _el("opprettetAv", doc.attached_by),
                  _el("referanseDokumentfil", f"dokumenter/{doc.sid}.pdf"),
                  _el("sjekksum", f"{rng.getrandbits(256):064x}"), _el("sjekksumAlgoritme", "SHA-256"),
                  _el("filstoerrelse", rng.randint(20_000, 4_000_000)), "</dokumentobjekt>", "</dokumentbeskrivelse>"]
        ptype = {"I": "Avsender", "U": "Mottaker"}.get(jp.code, "Intern mottaker")
        p += [_el("registreringsID", f"{jp.journaldato.year}/{gen.journal_seq[jp.journaldato.year]}"),
              _el("tittel", jp.title), _el("dokumentmedium", "Elektronisk arkiv"),
              "<korrespondansepart>", _el("korrespondanseparttype", ptype), _el("korrespondansepartNavn", jp.party)]
        if jp.party_type != "intern":
            p += [_el("postadresse", gen.address()), _el("postnummer", f"{rng.randint(1, 9999):04d}"),
                  _el("poststed", "Fjordby"), _el("epostadresse", "post@example.no")]
        p += [_el("administrativEnhet", case.unit), _el("saksbehandler", jp.handler), "</korrespondansepart>",
              _el("journalaar", jp.journaldato.year), _el("journalsekvensnummer", gen.journal_seq[jp.journaldato.year]),
              _el("journalpostnummer", n), _el("journalposttype", {
                  "I": "Inngående dokument", "U": "Utgående dokument", "N": "Organinternt dokument for oppfølging",
                  "X": "Organinternt dokument uten oppfølging", "S": "Saksframlegg"}[jp.code]),
              _el("journalstatus", jp.status), _el("journaldato", jp.journaldato.isoformat())]
        if jp.mottatt:
            p.append(_el("mottattDato", _dt(jp.mottatt)))
        if jp.sendt:
            p.append(_el("sendtDato", _dt(jp.sendt)))
        p.append(_el("antallVedlegg", len(jp.docs) - 1))
        for w in jp.writeoffs:
            p += ["<avskrivning>", _el("avskrivningsdato", w.day.isoformat()), _el("avskrevetAv", w.by),
                  _el("avskrivningsmaate", w.maate)]
            if w.ref:
                p.append(_el("referanseAvskrivesAvJournalpost", w.ref))
            p.append("</avskrivning>")
        for fl in jp.flows:
            p += ["<dokumentflyt>", _el("flytTil", fl.til), _el("flytFra", fl.fra),
                  _el("flytMottattDato", _dt(fl.received)), _el("flytSendtDato", _dt(fl.sent)),
                  _el("flytStatus", fl.status)]
            if fl.status != "Godkjent":
                p.append(_el("flytMerknad", f"Se kommentar fra {fl.til}"))
            p.append("</dokumentflyt>")
        p.append("</registrering>")
    p += [_el("saksaar", case.year), _el("sakssekvensnummer", case.seq), _el("saksdato", case.saksdato.isoformat()),
          _el("administrativEnhet", case.unit), _el("saksansvarlig", case.responsible),
          _el("journalenhet", "Postmottak"), _el("saksstatus", case.status), "</mappe>\n"]
    out.write("".join(p))


def _write_changes(out: TextIO, case: Case) -> int:
    parts = []
    for ch in case.changes:
        parts += ["<endring>", _el("referanseArkivenhet", ch.ref), _el("referanseMetadata", ch.field),
                  _el("endretDato", _dt(ch.at)), _el("endretAv", ch.by), _el("tidligereVerdi", ch.old),
                  _el("nyVerdi", ch.new), "</endring>\n"]
    out.write("".join(parts))
    return len(case.changes)


@dataclass(frozen=True)
class GeneratedExport:
    folder: Path
    truth_path: Path
    cases: int
    events: int
    bytes: int


def generate_noark5(out_dir: str | Path, *, cases: int = 2000, seed: int = 7, regulering_share: float = 0.1,
                    pnr_cases: int | None = None, start: date = START,
                    truth_path: str | Path | None = None) -> GeneratedExport:
    """Write the export folder and its ground truth (default `<out_dir>/truth.json`); see the module doc."""
    if cases < 1:
        raise ValueError("cases must be at least 1")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed)
    rng = gen.rng
    n_pnr = max(1, cases // 200) if pnr_cases is None else pnr_cases
    n_plan = int(round(cases * regulering_share))
    n_bygg = max(0, cases - n_pnr - n_plan)
    span = 3 * 365 - 400  # starts spread over the period, leaving time to finish
    arkiv_id, arkivdel_id = gen.uuid(), gen.uuid()
    seq_by_year: Counter[int] = Counter()
    activities: Counter[str] = Counter()
    by_klasse: Counter[str] = Counter()
    case_events: dict[str, int] = {}
    day_events = changes = 0
    secrets: dict[str, set[str]] = {"korrespondansepart_names": set(), "part_names": set(), "fodselsnumre": set(),
                                    "titles": set(), "employees": set(gen.staff)}
    begin = datetime.combine(start, time(8))
    end = datetime.combine(start + timedelta(days=3 * 365), time(16))
    with (folder / "arkivstruktur.xml").open("w", encoding="utf-8") as out, \
            (folder / "endringslogg.xml").open("w", encoding="utf-8") as log_out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<arkiv xmlns="{NS}" '
                  f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
        out.write("".join([_el("systemID", arkiv_id), _el("tittel", "Fjordby kommune sakarkiv"),
                           _el("arkivstatus", "Avsluttet"), _el("dokumentmedium", "Elektronisk arkiv"),
                           _el("opprettetDato", _dt(begin)), _el("opprettetAv", gen.archivists[0]),
                           _el("avsluttetDato", _dt(end)), _el("avsluttetAv", gen.archivists[0]),
                           "<arkivskaper>", _el("arkivskaperID", "974123456"),
                           _el("arkivskaperNavn", "Fjordby kommune"), "</arkivskaper>\n",
                           "<arkivdel>", _el("systemID", arkivdel_id), _el("tittel", "Sakarkiv 2021-2023"),
                           _el("arkivdelstatus", "Avsluttet periode"), _el("dokumentmedium", "Elektronisk arkiv"),
                           _el("opprettetDato", _dt(begin)), _el("opprettetAv", gen.archivists[0]),
                           _el("avsluttetDato", _dt(end)), _el("avsluttetAv", gen.archivists[0]),
                           _el("arkivperiodeStartDato", start.isoformat()),
                           _el("arkivperiodeSluttDato", (start + timedelta(days=3 * 365)).isoformat()), "\n"]))
        log_out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<endringslogg xmlns="{NS_ENDRINGSLOGG}">\n')

        def system(title: str, ktype: str) -> None:
            out.write("".join(["<klassifikasjonssystem>", _el("systemID", gen.uuid()),
                               _el("klassifikasjonstype", ktype), _el("tittel", title), _el("opprettetDato", _dt(begin)),
                               _el("opprettetAv", gen.archivists[0]), "\n"]))

        def klasse(klasse_id: str, title: str) -> None:
            out.write("".join(["<klasse>", _el("systemID", gen.uuid()), _el("klasseID", klasse_id),
                               _el("tittel", title), _el("opprettetDato", _dt(begin)), _el("opprettetAv", gen.archivists[0]), "\n"]))

        def make(kind: str) -> Case:
            day = gen.workday(start, rng.randrange(span))
            seq_by_year[day.year] += 1
            case = gen.new_case(kind, day, seq_by_year[day.year])
            {"L42": gen.byggesak, "L12": gen.regulering, "PNR": gen.startlaan}[kind](case)
            return case

        def emit(case: Case, klasse_id: str) -> None:
            nonlocal day_events, changes
            _write_case(out, case, gen, arkivdel_id)
            changes += _write_changes(log_out, case)
            evs = truth_events(case)
            activities.update(a for a, _ in evs)
            day_events += sum(1 for _, pr in evs if pr == "day")
            case_events[case.sid] = len(evs)
            by_klasse[klasse_id if case.klasse != "PNR" else "PNR"] += 1
            secrets["korrespondansepart_names"].update(jp.party for jp in case.jps if jp.party_type != "intern")
            if case.applicant_fnr:
                secrets["part_names"].add(case.applicant)
                secrets["fodselsnumre"].add(case.applicant_fnr)
            secrets["titles"].update(jp.title for jp in case.jps)
            secrets["titles"].add(case.title)

        system("Arkivnøkkel for kommuner (K-koder)", "K-koder")
        for klasse_id, title, n in (("L42", "Byggesaker", n_bygg), ("L12", "Reguleringsplaner", n_plan)):
            if n:
                klasse(klasse_id, title)
                for _ in range(n):
                    emit(make(klasse_id), klasse_id)
                out.write("</klasse>\n")
        out.write("</klassifikasjonssystem>\n")
        if n_pnr:
            # personal classification: the klasse is the applicant, klasseID their fødselsnummer
            system("Personer", "PNR")
            for _ in range(n_pnr):
                case = make("PNR")
                assert case.applicant_fnr
                klasse(case.applicant_fnr, case.applicant)
                emit(case, case.applicant_fnr)
                out.write("</klasse>\n")
            out.write("</klassifikasjonssystem>\n")
        out.write("</arkivdel>\n</arkiv>\n")
        log_out.write("</endringslogg>\n")
    _write_arkivuttrekk(folder, start, cases)
    truth = {
        "generator": "saksflyt.noark5_generator", "noark5_version": "5.0", "seed": seed,
        "cases": len(case_events), "events": sum(case_events.values()), "day_precision_events": day_events,
        "endringslogg_changes": changes, "cases_by_klasse": dict(sorted(by_klasse.items())),
        "activities": dict(sorted(activities.items())), "case_events": case_events,
        "secrets": {k: sorted(v) for k, v in secrets.items()},
    }
    tp = Path(truth_path) if truth_path else folder / "truth.json"
    tp.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    size = (folder / "arkivstruktur.xml").stat().st_size
    return GeneratedExport(folder=folder, truth_path=tp, cases=len(case_events), events=truth["events"], bytes=size)


def _write_arkivuttrekk(folder: Path, start: date, cases: int) -> None:
    """A compact ADDML package description: what Saksflyt reads from it is info/type and version."""
    end = start + timedelta(days=3 * 365)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<addml xmlns="http://www.arkivverket.no/standarder/addml" name="Noark 5-arkivuttrekk">
  <dataset>
    <description>Noark 5-arkivuttrekk (generert av Saksflyt, syntetiske data)</description>
    <reference>
      <context>
        <additionalElements>
          <additionalElement name="recordCreators"><additionalElements>
            <additionalElement name="recordCreator"><value>Fjordby kommune</value></additionalElement>
          </additionalElements></additionalElement>
          <additionalElement name="systemType"><value>Noark 5</value></additionalElement>
          <additionalElement name="systemName"><value>Saksflyt generator</value></additionalElement>
        </additionalElements>
      </context>
      <content>
        <additionalElements>
          <additionalElement name="archivalPeriod"><properties>
            <property name="startDate"><value>{start.isoformat()}</value></property>
            <property name="endDate"><value>{end.isoformat()}</value></property>
          </properties></additionalElement>
        </additionalElements>
      </content>
    </reference>
    <dataObjects>
      <dataObject name="Noark 5 arkivuttrekk">
        <properties>
          <property name="info">
            <properties>
              <property name="type">
                <value>Noark 5</value>
                <properties><property name="version"><value>5.0</value></property></properties>
              </property>
              <property name="additionalInfo"><properties>
                <property dataType="integer" name="antallMapper"><value>{cases}</value></property>
              </properties></property>
            </properties>
          </property>
        </properties>
      </dataObject>
    </dataObjects>
  </dataset>
</addml>
"""
    (folder / "arkivuttrekk.xml").write_text(text, encoding="utf-8")
