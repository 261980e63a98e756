"""Validation of a Noark 5 arkivstruktur.xml against the official XSD of its version.

Files up to `FULL_VALIDATION_BYTES` are validated whole (one lxml tree, then dropped). Larger files are
validated on a sample of cases while they stream: each sampled case folder is placed in a minimal valid
`arkiv/arkivdel` shell and that small document is validated, so memory stays flat; errors keep the line
numbers of the original file. Deviations are warnings: the extractor loads what it can.

The schemas are not shipped with Saksflyt. They are looked for in env `SAKSFLYT_NOARK5_XSD`, then in
`../shared/noark5/xsd` next to the repository, then in the export folder itself (exports often carry
their arkivstruktur.xsd and metadatakatalog.xsd); without any, validation is skipped with a note.
Extra schemas in the export folder (e.g. a vendor's `vsmd.xsd` for virksomhetsspesifikkeMetadata) are
imported too.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .noark5_parse import NS

log = logging.getLogger(__name__)

FULL_VALIDATION_BYTES = 16 * 1024 * 1024
SAMPLE_FIRST = 50      # cases validated at the start of a large file
SAMPLE_EVERY = 100     # then one case in this many
ERRORS_LOGGED = 5
STANDARD_SCHEMAS = frozenset({"arkivstruktur.xsd", "metadatakatalog.xsd", "endringslogg.xsd",
                              "loependejournal.xsd", "offentligjournal.xsd", "addml.xsd", "arkivuttrekk.xsd",
                              "mets.xsd", "premis.xsd", "dias-mets.xsd", "dias-premis.xsd"})
XSD_VERSIONS = {"3.1": "v3.1", "4.0": "v4.0", "5.0": "v5.0"}
_SHELL_ID = "00000000-0000-4000-8000-000000000000"


def shared_xsd_root() -> Path:
    """Where the project keeps the official schemas during development: ../shared/noark5/xsd."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "noark5" / "xsd"


def find_schema_dir(version: str, export_dir: Path | None, xsd_root: Path | None = None) -> Path | None:
    """The folder holding arkivstruktur.xsd for this version, or None."""
    sub = XSD_VERSIONS.get(version, "v5.0")
    roots = [xsd_root] if xsd_root else []
    if os.environ.get("SAKSFLYT_NOARK5_XSD"):
        roots.append(Path(os.environ["SAKSFLYT_NOARK5_XSD"]))
    roots.append(shared_xsd_root())
    for root in roots:
        for cand in (root / "noark5" / sub, root / sub, root):
            if (cand / "arkivstruktur.xsd").is_file() and (cand / "metadatakatalog.xsd").is_file():
                return cand
    if export_dir and (export_dir / "arkivstruktur.xsd").is_file():
        return export_dir
    return None


def load_schema(schema_dir: Path, export_dir: Path | None) -> tuple[etree.XMLSchema, list[str]]:
    """The arkivstruktur schema plus any extra schemas in the export folder; returns the extra names."""
    extras: list[tuple[str, Path]] = []
    if export_dir:
        for xsd in sorted(export_dir.glob("*.xsd")):
            if xsd.name.lower() in STANDARD_SCHEMAS:
                continue
            try:
                tns = etree.parse(str(xsd)).getroot().get("targetNamespace")
            except etree.XMLSyntaxError:
                log.warning("%s: not a readable schema; ignored", xsd)
                continue
            if tns and tns != NS:
                extras.append((tns, xsd))
    main = schema_dir / "arkivstruktur.xsd"
    if not extras:
        return etree.XMLSchema(etree.parse(str(main))), []
    xs = "http://www.w3.org/2001/XMLSchema"
    root = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for tns, path in [(NS, main), *extras]:
        etree.SubElement(root, f"{{{xs}}}import", namespace=tns, schemaLocation=path.resolve().as_uri())
    return etree.XMLSchema(etree.ElementTree(root)), [p.name for _, p in extras]


@dataclass
class Validation:
    """Outcome of validating one arkivstruktur.xml: mode, counts and the first messages."""

    mode: str  # 'full', 'sample' or 'skipped'
    note: str
    errors: int = 0
    cases_checked: int = 0
    first: list[str] = field(default_factory=list)

    def add(self, error_log: etree._ListErrorLog, file: str) -> None:
        for e in error_log:
            self.errors += 1
            if len(self.first) < ERRORS_LOGGED:
                self.first.append(f"{file}: line {e.line}: {e.message}")


def validate_full(path: Path, schema: etree.XMLSchema, *, version: str, schema_dir: Path) -> Validation:
    v = Validation("full", f"validated fully against the Noark 5 v{version} XSD ({schema_dir})")
    try:
        doc = etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return v  # the streaming parse reports it with its line
    schema.validate(doc)
    v.add(schema.error_log, str(path))
    v.cases_checked = sum(1 for _ in doc.iter(f"{{{NS}}}mappe"))
    del doc
    return v


class CaseSampler:
    """Validates a sample of case folders while the file streams (see the module docstring)."""

    def __init__(self, schema: etree.XMLSchema, *, file: str, version: str, schema_dir: Path,
                 first: int = SAMPLE_FIRST, every: int = SAMPLE_EVERY) -> None:
        self.schema = schema
        self.file = file
        self.first, self.every = first, every
        self.seen = 0
        self.result = Validation(
            "sample", f"validated a sample of cases (the first {first}, then one in {every}) against the "
                      f"Noark 5 v{version} XSD ({schema_dir}): the file is larger than the full-validation "
                      f"limit")

    def __call__(self, mappe: etree._Element, nsmap: dict[str, str]) -> bool:
        self.seen += 1
        if self.seen > self.first and self.seen % self.every:
            return False
        shell = _shell(nsmap)
        parent = mappe.getparent()
        if parent is not None:
            parent.remove(mappe)
        shell[-1].append(mappe)  # moved, not copied: the reader is done with it; lines are kept
        self.schema.validate(etree.ElementTree(shell))
        self.result.add(self.schema.error_log, self.file)
        self.result.cases_checked += 1
        shell.clear()
        return True


def _shell(nsmap: dict[str, str]) -> etree._Element:
    """A minimal valid arkiv with one arkivdel, under the source's namespace prefixes."""
    ns = dict(nsmap)
    ns[None] = NS  # type: ignore[index]
    root = etree.Element(f"{{{NS}}}arkiv", nsmap=ns)
    when = "2000-01-01T00:00:00"

    def fields(parent: etree._Element, items: list[tuple[str, str]]) -> None:
        for tag, value in items:
            etree.SubElement(parent, f"{{{NS}}}{tag}").text = value

    fields(root, [("systemID", _SHELL_ID), ("tittel", "-"), ("opprettetDato", when), ("opprettetAv", "-"),
                  ("avsluttetDato", when), ("avsluttetAv", "-")])
    creator = etree.SubElement(root, f"{{{NS}}}arkivskaper")
    fields(creator, [("arkivskaperID", "-"), ("arkivskaperNavn", "-")])
    part = etree.SubElement(root, f"{{{NS}}}arkivdel")
    fields(part, [("systemID", _SHELL_ID), ("tittel", "-"), ("arkivdelstatus", "-"), ("opprettetDato", when),
                  ("opprettetAv", "-"), ("avsluttetDato", when), ("avsluttetAv", "-")])
    return root
