"""A Noark 5 export package on disk: where its files are, which version it declares or its structure shows,
and a hash of its content."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import noark5_parse as parse
from .errors import InputError

# warnings keep the name users see them under (`WARNING saksflyt.extractors.noark5: …`)
log = logging.getLogger("saksflyt.extractors.noark5")

ADDML_NS = "http://www.arkivverket.no/standarder/addml"


# --- the package ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """The files of one export that the extractor reads."""

    folder: Path
    arkivstruktur: Path
    endringslogg: Path | None
    arkivuttrekk: Path | None


def _child(folder: Path, name: str) -> Path | None:
    for cand in (folder / name, folder / "content" / name):
        if cand.is_file():
            return cand
    lower = name.lower()
    for p in folder.iterdir() if folder.is_dir() else ():
        if p.is_file() and p.name.lower() == lower:
            return p
    return None


def find_package(path: str | Path) -> Package:
    """The export folder's files, from the folder itself or from its arkivstruktur.xml."""
    src = Path(path)
    if not src.exists():
        raise InputError("no such file or folder", file=str(src))
    if src.is_dir():
        main = _child(src, "arkivstruktur.xml")
        if main is None:
            found = sorted(p.name for p in src.iterdir() if p.suffix.lower() == ".xml")
            raise InputError("no arkivstruktur.xml here, so this is not a Noark 5 export (arkivuttrekk)"
                             + (f"; the folder has {', '.join(found)}" if found else ""), file=str(src))
        folder = main.parent
    else:
        if src.name.lower() == "arkivuttrekk.xml":
            return find_package(src.parent)
        root = _root_tag(src)
        if root != f"{{{parse.NS}}}arkiv":
            what = f"<{parse.local(root)}>" if root else "no XML root element"
            raise InputError(f"not a Noark 5 arkivstruktur.xml (the root is {what}); give the export folder "
                             f"or its arkivstruktur.xml", file=str(src))
        main, folder = src, src.parent
    return Package(folder=folder, arkivstruktur=main, endringslogg=_child(folder, "endringslogg.xml"),
                   arkivuttrekk=_child(folder, "arkivuttrekk.xml"))


def _root_tag(path: Path) -> str | None:
    try:
        for _, elem in etree.iterparse(str(path), events=("start",), resolve_entities=False, no_network=True):
            return elem.tag if isinstance(elem.tag, str) else None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a Noark 5 arkivstruktur.xml (not well-formed XML: {exc.msg}); give the export "
                         f"folder or its arkivstruktur.xml", file=str(path), where=f"line {exc.lineno}") from exc
    return None


def declared_version(arkivuttrekk: Path) -> str | None:
    """The Noark 5 version in arkivuttrekk.xml (ADDML: property info/type 'Noark 5'/version)."""
    try:
        doc = etree.parse(str(arkivuttrekk), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        log.warning("%s: not well-formed (%s); the version is sniffed instead", arkivuttrekk, exc.msg)
        return None
    ns = {"a": ADDML_NS}
    for prop in doc.iterfind(".//a:property[@name='type']", ns):
        value = prop.findtext("a:value", namespaces=ns) or ""
        if "noark" in value.lower() and "5" in value:
            v = prop.findtext(".//a:property[@name='version']/a:value", namespaces=ns)
            if v and v.strip():
                return v.strip()
    return None


def schema_version(raw: str | None) -> str | None:
    """A declared version → the schema set that validates it (3.0 and 3.1 → 3.1, 5.x → 5.0)."""
    if not raw:
        return None
    m = re.match(r"^\s*(\d+)(?:\.(\d+))?", raw)
    if not m:
        return None
    major = int(m.group(1))
    return {3: "3.1", 4: "4.0", 5: "5.0"}.get(major)


def detect_version(pkg: Package) -> tuple[str, str, str | None]:
    """(schema version, where it came from, declared raw value)."""
    raw = declared_version(pkg.arkivuttrekk) if pkg.arkivuttrekk else None
    v = schema_version(raw)
    if v:
        return v, "arkivuttrekk.xml", raw
    if raw:
        log.warning("%s: unknown Noark 5 version %r; the version is sniffed instead", pkg.arkivuttrekk, raw)
    return parse.sniff_version(pkg.arkivstruktur), "sniffed", raw


def export_hash(pkg: Package) -> str:
    """SHA-256 of the metadata files read (never of the documents, which may be gigabytes)."""
    h = hashlib.sha256()
    for p in (pkg.arkivstruktur, pkg.endringslogg, pkg.arkivuttrekk):
        if p is None:
            continue
        h.update(p.name.encode())
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def looks_like_export(path: str | Path) -> bool:
    """A folder holding arkivstruktur.xml, or that file itself (for routing at the CLI)."""
    p = Path(path)
    if p.is_dir():
        return _child(p, "arkivstruktur.xml") is not None
    return p.name.lower() in ("arkivstruktur.xml", "arkivuttrekk.xml")
