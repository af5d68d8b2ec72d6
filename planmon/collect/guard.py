"""What a template carries about itself, and the checks ingest makes with it.

A data-collection workbook written by ``planmon template`` records, in hidden custom document
properties (File → Properties → Custom in Excel; kept by Excel, LibreOffice and openpyxl when
the file is saved again), which plan, year and department it was written for, its template
version and a checksum over these fields. A hand edit of one field breaks the checksum, and
the metadata is then ignored (with a warning) rather than trusted.

``planmon ingest`` refuses a returned workbook whose year, department or plan does not match
the command, unless told explicitly (``--force-year``, ``--force-dept``, ``--force-plan``).

A plan is identified by the ``plan_id`` of its settings sheet (``planmon init`` writes one);
a plan without one gets an id derived from its name and years.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.etree import ElementTree

from planmon.core.exceptions import PlanmonError, Problem
from planmon.core.text import clean_text, name_key
from planmon.io.plan_files import PlanFiles, read_plan_tables

__all__ = [
    "TEMPLATE_VERSION",
    "PlanIdentity",
    "TemplateMetadata",
    "Refusal",
    "IngestRefused",
    "plan_identity",
    "new_metadata",
    "read_metadata",
    "check_metadata",
]

#: Version of the template layout; bumped when the data sheet changes.
TEMPLATE_VERSION = 2
_PREFIX = "planmon_"
_FIELDS = ("plan_id", "plan_name", "year", "dept_id", "template_version", "template_id", "written")
# custom.xml of a template is a few hundred bytes; a far larger one is not ours
_MAX_PROPERTIES_BYTES = 256 * 1024
_CUSTOM_XML = "docProps/custom.xml"
_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@dataclass(frozen=True)
class PlanIdentity:
    """Which plan a template belongs to: its id and (Persian) name."""

    plan_id: str
    name: str | None


@dataclass(frozen=True)
class TemplateMetadata:
    """The hidden facts of one template (see the module docstring)."""

    plan_id: str
    plan_name: str
    year: int
    dept_id: str
    template_version: int
    template_id: str
    written: str

    def properties(self) -> dict[str, str]:
        """Custom document properties to store (``planmon_…`` names, text values)."""
        values = {f"{_PREFIX}{k}": str(v) for k, v in asdict(self).items()}
        values[f"{_PREFIX}check"] = _checksum(values)
        return values


def _checksum(values: dict[str, str]) -> str:
    text = "\x1f".join(values.get(f"{_PREFIX}{name}", "") for name in _FIELDS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def plan_identity(files: PlanFiles) -> PlanIdentity:
    """The plan's identity from its settings sheet (``plan_id``), else derived from its name.

    The derived id hashes the settings ``name_fa``, ``name_en``, ``city_fa``, ``first_year`` and
    ``horizon_year`` as written (spelling variants and digits normalised); without a settings
    sheet, the sorted indicator ids.
    """
    tables, _ = read_plan_tables(files)
    settings: dict[str, str | None] = {}
    raw = tables.get("plan")
    if raw is not None and not raw.frame.empty:
        frame = raw.frame
        key_col = "key" if "key" in frame.columns else frame.columns[0]
        value_col = "value" if "value" in frame.columns else frame.columns[-1]
        for key, value in zip(frame[key_col], frame[value_col], strict=True):
            settings[clean_text(key) or ""] = clean_text(value)
    name = settings.get("name_fa") or settings.get("name_en")
    if settings.get("plan_id"):
        return PlanIdentity(str(settings["plan_id"]), name)
    parts = [settings.get(k) for k in ("name_fa", "name_en", "city_fa", "first_year")]
    parts.append(settings.get("horizon_year"))
    if not any(parts):
        inds = tables.get("indicators")
        ids = [] if inds is None or "indicator_id" not in inds.frame else inds.frame["indicator_id"]
        parts = sorted(str(i) for i in ids if clean_text(i))
    digest = hashlib.sha256("\x1f".join(name_key(p) for p in parts).encode()).hexdigest()
    return PlanIdentity(f"derived-{digest[:16]}", name)


def new_metadata(identity: PlanIdentity, year: int, dept_id: str) -> TemplateMetadata:
    """Metadata for a template written now."""
    return TemplateMetadata(
        plan_id=identity.plan_id,
        plan_name=identity.name or "",
        year=int(year),
        dept_id=dept_id,
        template_version=TEMPLATE_VERSION,
        template_id=uuid.uuid4().hex,
        written=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _custom_properties(path: Path) -> dict[str, str]:
    """``name → text`` of a workbook's custom document properties ({} if none or unreadable)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_CUSTOM_XML)
            if info.file_size > _MAX_PROPERTIES_BYTES:
                return {}
            root = ElementTree.fromstring(archive.read(info))
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError, RuntimeError):
        return {}
    out = {}
    for prop in root.iter(f"{_NS}property"):
        name = prop.get("name") or ""
        if name.startswith(_PREFIX) and len(prop):
            out[name] = (prop[0].text or "").strip()
    return out


def read_metadata(path: Path) -> tuple[TemplateMetadata | None, str | None]:
    """Read a workbook's template metadata.

    Returns
    -------
    (TemplateMetadata or None, str or None)
        The metadata, or None with the reason it is absent (``"none"``: not a planmon
        template, or saved by a program that drops custom properties; ``"edited"``: the
        checksum does not match).
    """
    values = _custom_properties(path)
    if f"{_PREFIX}plan_id" not in values:
        return None, "none"
    if values.get(f"{_PREFIX}check") != _checksum(values):
        return None, "edited"
    try:
        fields = {name: values[f"{_PREFIX}{name}"] for name in _FIELDS}
        fields["year"] = int(fields["year"])
        fields["template_version"] = int(fields["template_version"])
    except (KeyError, ValueError):
        return None, "edited"
    return TemplateMetadata(**fields), None


@dataclass(frozen=True)
class Refusal:
    """One reason to refuse a file; ``text`` holds ``{fix}`` where the override is named."""

    text: str
    option: str

    def render(self, style: str = "python") -> str:
        fix = f"--{self.option.replace('_', '-')}" if style == "cli" else f"{self.option}=True"
        return self.text.format(fix=fix)


class IngestRefused(PlanmonError):
    """Returned files do not match the command (year, department, plan, an existing report).

    ``str(exc)`` names the Python arguments that override a refusal (``replace=True``);
    :meth:`cli_message` the command-line options (``--replace``).
    """

    def __init__(self, refusals: list[Refusal]):
        self.refusals = list(refusals)
        super().__init__(self.message("python"))

    def message(self, style: str = "python") -> str:
        lines = [r.render(style) for r in self.refusals]
        return "nothing was ingested:\n" + "\n".join(lines)

    def cli_message(self) -> str:
        """The message with command-line options (``--force-year``, ``--replace``)."""
        return self.message("cli")


def check_metadata(
    source: str,
    metadata: TemplateMetadata | None,
    reason: str | None,
    *,
    year: int,
    dept_id: str,
    identity: PlanIdentity,
    force: frozenset[str] = frozenset(),
) -> tuple[list[Refusal], list[Problem]]:
    """Compare a returned workbook's metadata with the command; return refusals and warnings.

    ``force`` holds the overrides given: ``"force_year"``, ``"force_dept"``, ``"force_plan"``.
    """
    if metadata is None:
        if reason == "edited":
            text = "its hidden template facts were edited (checksum mismatch), so year, plan and "
        else:
            text = "it was not written by `planmon template` (or was saved without its hidden "
            text += "template facts), so year, plan and "
        text += "department are not checked; make sure it is the right file"
        return [], [Problem(source, None, None, text, "warning")]
    refusals = []
    if metadata.year != year and "force_year" not in force:
        refusals.append(
            Refusal(
                f"{source}: this is the template for {metadata.year}, not {year}; ingest it "
                f"for {metadata.year}, or pass {{fix}} to add it to {year} anyway",
                "force_year",
            )
        )
    if metadata.dept_id != dept_id and "force_dept" not in force:
        refusals.append(
            Refusal(
                f"{source}: this is the template of department {metadata.dept_id!r}, but the "
                f"file is named {dept_id}; rename it to {metadata.dept_id}.xlsx, or pass "
                f"{{fix}} to add it as {dept_id}'s report",
                "force_dept",
            )
        )
    if metadata.plan_id != identity.plan_id and "force_plan" not in force:
        written_for = metadata.plan_name or metadata.plan_id
        refusals.append(
            Refusal(
                f"{source}: this template was written for another plan ({written_for}), not "
                f"{identity.name or identity.plan_id}; pass {{fix}} if it is the same plan",
                "force_plan",
            )
        )
    return refusals, []
