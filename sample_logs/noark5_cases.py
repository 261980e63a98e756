"""The model of one generated Noark 5 case: its process type, journalposts, documents, flows, write-offs and
changes, drawn with fictitious names and synthetic fødselsnumre."""
from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

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
