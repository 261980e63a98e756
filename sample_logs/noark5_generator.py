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
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
START = date(2021, 1, 4)

FIRST = ("Ola", "Kari", "Per", "Anne", "Lars", "Ingrid", "Knut", "Marit", "Jon", "Silje", "Erik", "Hilde",
         "Arne", "Tone", "Geir", "Randi", "Bjørn", "Liv", "Trond", "Sigrid", "Håkon", "Åse", "Øystein", "Solveig")
LAST = ("Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
        "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Bakken", "Lie",
        "Dahl", "Strand", "Lunde", "Moen", "Sæther", "Aas", "Solberg", "Kvåle", "Ødegård")
FIRMS = ("Byggmester Hansen AS", "Arkitektkontoret Nord AS", "Tømrer & Snekker Berg AS", "Plankontoret ANS",
         "Bolig og Bygg Vest AS", "Grunnarbeid Lie AS", "Rådgivende Ingeniører Moen AS")
AGENCIES = ("Statens vegvesen", "Brann- og redningsetaten", "Statsforvalteren i Vestland", "Fylkeskommunen")
STREETS = ("Storgata", "Kirkevegen", "Fjellveien", "Skolegata", "Sjøvegen", "Bjørkeveien", "Granlia",
           "Solbakken", "Elvegata", "Åsvegen", "Løkkeveien", "Myrvegen")
UNITS = {"L42": "Byggesak", "L12": "Plan og regulering", "PNR": "Tildelingskontoret"}


def _names(rng: random.Random, n: int) -> list[str]:
    seen: list[str] = []
    while len(seen) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in seen:
            seen.append(name)
    return seen


def synthetic_fnr(rng: random.Random) -> str:
    """A valid 11-digit fødselsnummer in the synthetic range (month + 80): never a real person."""
    while True:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        digits = [int(c) for c in f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{rng.randrange(1000):03d}"]
        k1 = 11 - sum(d * w for d, w in zip(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        digits.append(k1)
        k2 = 11 - sum(d * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return "".join(map(str, digits)) + str(k2)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dt(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


# --- the model of one case --------------------------------------------------------------------------


@dataclass
class Doc:
    sid: str
    title: str
    dokumenttype: str
    role: str  # Hoveddokument / Vedlegg
    attached: datetime
    attached_by: str


@dataclass
class Flow:
    fra: str
    til: str
    received: datetime
    sent: datetime
    status: str  # Godkjent / Sendt tilbake til saksbehandler med kommentarer


@dataclass
class Writeoff:
    day: date
    by: str
    maate: str
    ref: str | None
    label: str


@dataclass
class Journalpost:
    sid: str
    code: str           # I U N X S
    kind: str | None    # activity qualifier by the mapping's keyword map
    title: str
    journaldato: date
    created: datetime
    handler: str
    party: str
    party_type: str
    mottatt: datetime | None = None
    sendt: datetime | None = None
    status: str = "Arkivert"
    docs: list[Doc] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    writeoffs: list[Writeoff] = field(default_factory=list)


@dataclass
class Change:
    ref: str
    field: str
    at: datetime
    by: str
    old: str
    new: str


@dataclass
class Case:
    sid: str
    klasse: str
    year: int
    seq: int
    saksdato: date
    created: datetime
    closed: datetime
    status: str
    responsible: str
    unit: str
    title: str
    applicant: str
    applicant_type: str
    applicant_fnr: str | None
    jps: list[Journalpost] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.staff = _names(self.rng, 30)
        self.handlers = self.staff[:20]
        self.leaders = self.staff[20:24]
        self.postmottak = self.staff[24:27]
        self.archivists = self.staff[27:]
        self.citizens: list[str] = []
        self.journal_seq: Counter[int] = Counter()

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def workday(self, d: date, plus: int = 0) -> date:
        d = d + timedelta(days=plus)
        while d.weekday() >= 5:
            d += timedelta(days=1)
        return d

    def at(self, d: date, lo: int = 8, hi: int = 15) -> datetime:
        return datetime.combine(d, time(self.rng.randint(lo, hi), self.rng.randrange(60), self.rng.randrange(60)))

    def person(self) -> str:
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        self.citizens.append(name)
        return name

    def address(self) -> str:
        return f"{self.rng.choice(STREETS)} {self.rng.randint(1, 120)}"

    # journalposts --------------------------------------------------------------------------------

    def jp(self, case: Case, code: str, kind: str | None, title: str, day: date, *, party: str,
           party_type: str, attachments: int = 0) -> Journalpost:
        rng = self.rng
        if code == "I":
            received = self.at(day)
            jday = self.workday(day, rng.choice((0, 0, 0, 1)))
            created = self.at(jday) if jday > day else received + timedelta(minutes=rng.randint(10, 120))
            jp = Journalpost(self.uuid(), code, kind, title, jday, created, case.responsible, party, party_type,
                             mottatt=received)
            by = rng.choice(self.postmottak)
        else:
            created = self.at(day)
            jp = Journalpost(self.uuid(), code, kind, title, day, created, case.responsible, party, party_type)
            by = case.responsible
        jp.docs.append(Doc(self.uuid(), title, "Brev" if code in ("I", "U") else "Notat", "Hoveddokument",
                           created, by))
        for k in range(attachments):
            jp.docs.append(Doc(self.uuid(), rng.choice(("Situasjonskart", "Tegninger", "Gjenpart nabovarsel",
                                                        "Ansvarsrett", "Foto")) + f" {k + 1}",
                               "Vedlegg", "Vedlegg", created + timedelta(minutes=k + 1), by))
        case.jps.append(jp)
        return jp

    def outgoing(self, case: Case, kind: str | None, title: str, day: date, *, approve: bool = False,
                 party: str | None = None, party_type: str = "person") -> Journalpost:
        rng = self.rng
        jp = self.jp(case, "U", kind, title, day, party=party or case.applicant, party_type=party_type)
        jp.status = "Ekspedert"
        t = jp.created
        if approve:
            leader = rng.choice(self.leaders)
            rounds = 2 if rng.random() < 0.15 else 1
            for r in range(rounds):
                submitted = t + timedelta(minutes=rng.randint(5, 90))
                decided_day = self.workday(submitted.date(), rng.randint(0, 4))
                decided = max(self.at(decided_day), submitted + timedelta(minutes=30))
                last = r == rounds - 1
                jp.flows.append(Flow(case.responsible, leader, submitted, decided,
                                     "Godkjent" if last else "Sendt tilbake til saksbehandler med kommentarer"))
                t = decided + (timedelta(hours=rng.randint(1, 30)) if not last else timedelta(0))
            jp.journaldato = t.date()
            case.changes.append(Change(jp.sid, "journalstatus", jp.flows[-1].sent, leader,
                                       "Ferdigstilt fra saksbehandler", "Godkjent av leder"))
        late = t.time() >= time(15, 30)
        jp.sendt = t + timedelta(minutes=20) if late else datetime.combine(jp.journaldato, time(15, 30))
        case.changes.append(Change(jp.sid, "journalstatus", jp.sendt, case.responsible,
                                   "Godkjent av leder" if approve else "Ferdigstilt fra saksbehandler", "Ekspedert"))
        return jp

    def write_off(self, jp: Journalpost, day: date, maate: str, label: str, by: str, answer: Journalpost | None
                  ) -> None:
        jp.writeoffs.append(Writeoff(max(day, jp.journaldato), by, maate, answer.sid if answer else None, label))

    # processes -----------------------------------------------------------------------------------

    def new_case(self, klasse: str, start: date, seq: int) -> Case:
        rng = self.rng
        applicant_fnr = None
        if klasse == "PNR" or rng.random() < 0.5:
            applicant, applicant_type = self.person(), "person"
            applicant_fnr = synthetic_fnr(rng)
        else:
            applicant, applicant_type = rng.choice(FIRMS), "organisasjon"
        responsible = rng.choice(self.handlers)
        created = self.at(start)
        case = Case(self.uuid(), klasse, start.year, seq, start, created, created, "Avsluttet", responsible,
                    UNITS[klasse], "", applicant, applicant_type, applicant_fnr)
        case.title = (f"Startlån - {applicant}" if klasse == "PNR" else
                      f"{self.address()} - gnr {rng.randint(1, 300)} bnr {rng.randint(1, 900)} - {applicant}")
        case.changes.append(Change(case.sid, "saksstatus", created + timedelta(minutes=5), responsible,
                                   "Opprettet av saksbehandler", "Under behandling"))
        return case

    def byggesak(self, case: Case) -> None:
        rng, d, who, kind = self.rng, case.saksdato, case.applicant, case.applicant_type
        app = self.jp(case, "I", "Søknad", f"Søknad om rammetillatelse - {case.title}", d, party=who,
                      party_type=kind, attachments=rng.randint(1, 3))
        case.saksdato = app.journaldato
        open_incoming = [app]
        d = app.journaldato
        if rng.random() < 0.6:
            self.outgoing(case, "Mottaksbekreftelse", f"Mottaksbekreftelse - {case.title}",
                          self.workday(d, rng.randint(1, 3)))
        if rng.random() < 0.1:
            disp = self.jp(case, "I", "Dispensasjon", f"Søknad om dispensasjon - {case.title}",
                           self.workday(d, rng.randint(0, 5)), party=who, party_type=kind)
            open_incoming.append(disp)
        last = d
        if rng.random() < 0.35:  # rework loop: deficiency letter, more documents, sometimes twice
            for _ in range(2 if rng.random() < 0.3 else 1):
                letter = self.outgoing(case, "Mangelbrev", f"Anmodning om tilleggsdokumentasjon - {case.title}",
                                       self.workday(last, rng.randint(3, 10)))
                more = self.jp(case, "I", "Ettersendt dokumentasjon", f"Ettersendt dokumentasjon - {case.title}",
                               self.workday(letter.journaldato, rng.randint(7, 30)), party=who, party_type=kind,
                               attachments=rng.randint(0, 2))
                self.write_off(more, self.workday(more.journaldato, rng.randint(0, 3)), "TE", "Tatt til etterretning",
                               case.responsible, None)
                last = more.journaldato
        if rng.random() < 0.3:
            neighbour = self.person()
            nm = self.jp(case, "I", "Nabomerknad", f"Nabomerknad fra {neighbour} - {case.title}",
                         self.workday(d, rng.randint(1, 14)), party=neighbour, party_type="person")
            self.write_off(nm, self.workday(nm.journaldato, rng.randint(0, 5)), "TO", "Tatt til orientering",
                           case.responsible, None)
            last = max(last, nm.journaldato)
        if rng.random() < 0.2:
            agency = rng.choice(AGENCIES)
            ask = self.outgoing(case, "Uttalelse", f"Oversendelse til uttalelse - {case.title}",
                                self.workday(d, rng.randint(5, 10)), party=agency, party_type="organisasjon")
            ans = self.jp(case, "I", "Uttalelse", f"Uttalelse fra {agency} - {case.title}",
                          self.workday(ask.journaldato, rng.randint(14, 28)), party=agency, party_type="organisasjon")
            self.write_off(ans, self.workday(ans.journaldato, rng.randint(0, 3)), "TE", "Tatt til etterretning",
                           case.responsible, None)
            last = max(last, ans.journaldato)
        if rng.random() < 0.3:
            note = self.jp(case, "N", "Notat", f"Saksutredning - {case.title}", self.workday(last, rng.randint(1, 5)),
                           party=rng.choice(self.leaders), party_type="intern")
            note.sendt = note.created + timedelta(minutes=rng.randint(5, 60))
            self.write_off(note, self.workday(note.journaldato, rng.randint(1, 5)), "TO", "Tatt til orientering",
                           rng.choice(self.leaders), None)
            last = max(last, note.journaldato)
        if rng.random() < 0.2:
            x = self.jp(case, "X", "Befaring", f"Befaringsnotat - {case.title}", self.workday(last, rng.randint(1, 7)),
                        party=case.responsible, party_type="intern")
            last = max(last, x.journaldato)
        if rng.random() < 0.03:  # withdrawn: the case is cancelled («Utgår»)
            w = self.jp(case, "I", None, f"Trekker saken - {case.title}", self.workday(last, rng.randint(1, 20)),
                        party=who, party_type=kind)
            for jp in open_incoming + [w]:
                self.write_off(jp, w.journaldato, "TO", "Tatt til orientering", case.responsible, None)
            case.status = "Utgår"
            self._close(case, w.journaldato)
            return
        if rng.random() < 0.15 and len(self.handlers) > 1:  # reassigned: a waiting-time bottleneck
            new = rng.choice([h for h in self.handlers if h != case.responsible])
            case.changes.append(Change(case.sid, "saksansvarlig", self.at(self.workday(last, 1)),
                                       rng.choice(self.leaders), case.responsible, new))
            case.responsible = new
        decision = self.outgoing(case, "Vedtak", f"Vedtak - rammetillatelse - {case.title}",
                                 self.workday(last, rng.randint(3, 25)), approve=True)
        for jp in open_incoming:
            self.write_off(jp, decision.journaldato, "BU", "Besvart med brev", case.responsible, decision)
        last = decision.sendt.date() if decision.sendt else decision.journaldato
        if rng.random() < 0.08:
            appeal = self.jp(case, "I", "Klage", f"Klage på vedtak - {case.title}",
                             self.workday(last, rng.randint(10, 21)), party=who, party_type=kind)
            fwd = self.outgoing(case, "Klage", f"Klage oversendt Statsforvalteren - {case.title}",
                                self.workday(appeal.journaldato, rng.randint(14, 40)), approve=True,
                                party=AGENCIES[2], party_type="organisasjon")
            self.write_off(appeal, fwd.journaldato, "BU", "Besvart med brev", case.responsible, fwd)
            last = fwd.sendt.date() if fwd.sendt else fwd.journaldato
        if rng.random() < 0.5:
            req = self.jp(case, "I", "Ferdigattest", f"Søknad om ferdigattest - {case.title}",
                          self.workday(last, rng.randint(60, 300)), party=who, party_type=kind, attachments=1)
            cert = self.outgoing(case, "Ferdigattest", f"Ferdigattest - {case.title}",
                                 self.workday(req.journaldato, rng.randint(3, 14)), approve=rng.random() < 0.5)
            self.write_off(req, cert.journaldato, "BU", "Besvart med brev", case.responsible, cert)
            last = cert.sendt.date() if cert.sendt else cert.journaldato
        self._close(case, last)

    def regulering(self, case: Case) -> None:
        rng, d = self.rng, case.saksdato
        init = self.jp(case, "I", "Søknad", f"Søknad om oppstart av planarbeid - {case.title}", d,
                       party=case.applicant, party_type=case.applicant_type, attachments=2)
        case.saksdato = init.journaldato
        self.outgoing(case, "Mottaksbekreftelse", f"Mottaksbekreftelse - {case.title}",
                      self.workday(init.journaldato, 2))
        last = init.journaldato
        for agency in rng.sample(AGENCIES, 2):
            ask = self.outgoing(case, "Uttalelse", f"Høring av planforslag - {case.title}",
                                self.workday(last, rng.randint(5, 15)), party=agency, party_type="organisasjon")
            ans = self.jp(case, "I", "Uttalelse", f"Uttalelse fra {agency} - {case.title}",
                          self.workday(ask.journaldato, rng.randint(20, 45)), party=agency, party_type="organisasjon")
            self.write_off(ans, self.workday(ans.journaldato, 2), "TE", "Tatt til etterretning", case.responsible, None)
            last = ans.journaldato
        paper = self.jp(case, "S", None, f"Saksframlegg til planutvalget - {case.title}",
                        self.workday(last, rng.randint(5, 20)), party="Planutvalget", party_type="intern")
        paper.sendt = paper.created + timedelta(hours=1)
        decision = self.outgoing(case, "Vedtak", f"Vedtak om detaljregulering - {case.title}",
                                 self.workday(paper.journaldato, rng.randint(14, 40)), approve=True)
        self.write_off(init, decision.journaldato, "BU", "Besvart med brev", case.responsible, decision)
        self._close(case, decision.sendt.date() if decision.sendt else decision.journaldato)

    def startlaan(self, case: Case) -> None:
        rng = self.rng
        app = self.jp(case, "I", "Søknad", f"Søknad om startlån - {case.applicant}", case.saksdato,
                      party=case.applicant, party_type="person", attachments=1)
        case.saksdato = app.journaldato
        decision = self.outgoing(case, "Vedtak", f"Vedtak om startlån - {case.applicant}",
                                 self.workday(app.journaldato, rng.randint(5, 30)), approve=True)
        self.write_off(app, decision.journaldato, "BU", "Besvart med brev", case.responsible, decision)
        self._close(case, decision.sendt.date() if decision.sendt else decision.journaldato)

    def _close(self, case: Case, last: date) -> None:
        case.closed = self.at(self.workday(last, self.rng.randint(1, 10)))
        case.changes.append(Change(case.sid, "saksstatus", case.closed, case.responsible, "Under behandling",
                                   case.status))
        if self.rng.random() < 0.05:  # a title change: free text the extractor must ignore
            case.changes.append(Change(case.sid, "tittel", case.closed - timedelta(days=1), case.responsible,
                                       case.title, case.title + " (rettet)"))


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
