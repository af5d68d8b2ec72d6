"""Sample plans: Qazvin's second five-year plan, and synthetic plans of any size.

Both generators are pure and seeded: they return a :class:`PlanTables` (the tables of a plan
folder, as in-memory frames) and never touch the disk; :func:`planmon.io.plan_writer.write_plan`
writes them out.

The Qazvin sample is the clean canonical plan the tutorials, notebooks and smoke tests use. Its
structure (departments, goals, indicators, targets and the story in the reports) is fixed; the
seed only moves the noise in the reported values. The story is the one monitoring exists to find:
some departments on track and some behind, a few indicators going backwards (bus fleet age,
source separation of waste, construction-dependent revenue), the 1399 collapse of public transport
ridership under COVID-19, a handful of blank values with a reason, a department that sent no 1399
report, one indicator monitored without targets, and two indicators whose targets move against
their own direction (a real flaw of real plans, which validation warns about).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from planmon.core.exceptions import ParameterError

__all__ = ["PlanTables", "qazvin_sample", "synthetic_plan"]

#: Column order and dtypes of each table (see docs/internal-frames.md).
_SCHEMAS: dict[str, dict[str, str]] = {
    "departments": {
        "dept_id": "str",
        "kind": "str",
        "name_fa": "str",
        "name_en": "str",
        "parent_id": "str",
    },
    "goals": {
        "goal_id": "str",
        "name_fa": "str",
        "name_en": "str",
        "parent_id": "str",
        "dept_id": "str",
        "weight": "float64",
    },
    "indicators": {
        "indicator_id": "str",
        "dept_id": "str",
        "goal_id": "str",
        "name_fa": "str",
        "name_en": "str",
        "unit": "str",
        "direction": "str",
        "baseline_year": "int64",
        "baseline_value": "float64",
        "limit": "float64",
        "weight": "float64",
        "tolerance": "float64",
        "level": "str",
        "definition": "str",
        "formula": "str",
        "responsible": "str",
        "source": "str",
        "frequency": "str",
    },
    "targets": {"indicator_id": "str", "year": "int64", "target": "float64"},
    "reports": {
        "indicator_id": "str",
        "dept_id": "str",
        "year": "int64",
        "value": "float64",
        "note": "str",
        "source": "str",
    },
}

_PASSPORT = ("level", "definition", "formula", "responsible", "source", "frequency")
_DEFAULT_TOLERANCE = 0.05
_NO_DATA = "داده در دسترس نیست"


@dataclass(frozen=True, eq=False)
class PlanTables:
    """The tables of one plan folder, in memory.

    Attributes
    ----------
    meta : dict
        The ``plan`` key/value table: ``name_fa``, ``name_en``, ``city_fa``, ``city_en``,
        ``baseline_year``, ``first_year``, ``horizon_year`` (int), ``calendar``.
    departments, goals, indicators, targets : pandas.DataFrame
        As in docs/internal-frames.md.
    reports : pandas.DataFrame
        Every department's annual reports in one frame, columns ``indicator_id, dept_id, year,
        value, note, source``; the writer splits it into ``reports/<year>/<dept_id>.*``. A
        department-year with no rows is a report that was never sent.
    """

    meta: dict[str, Any]
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    reports: pd.DataFrame

    @property
    def report_years(self) -> list[int]:
        """Years that have at least one report, ascending."""
        return sorted(int(y) for y in self.reports["year"].unique())


def _typed(columns: Mapping[str, Any], table: str) -> pd.DataFrame:
    """Build ``table`` from column arrays in the contract's column order and dtypes."""
    schema = _SCHEMAS[table]
    return pd.DataFrame({name: pd.Series(columns[name], dtype=dt) for name, dt in schema.items()})


# ---------------------------------------------------------------------------------------------
# Qazvin: the canonical sample
# ---------------------------------------------------------------------------------------------

_QAZVIN_META: dict[str, Any] = {
    "name_fa": "برنامه راهبردی-عملیاتی پنج‌ساله دوم شهر و شهرداری قزوین",
    "name_en": "Second five-year strategic-operational plan of Qazvin",
    "city_fa": "قزوین",
    "city_en": "Qazvin",
    "baseline_year": 1396,
    "first_year": 1397,
    "horizon_year": 1401,
    "calendar": "jalali",
}
_PLAN_YEARS = (1397, 1398, 1399, 1400, 1401)
_REPORT_YEARS = (1397, 1398, 1399)

# (dept_id, kind, name_fa, name_en, parent_id)
_DEPARTMENTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    (
        "planning",
        "deputy",
        "معاونت برنامه‌ریزی و توسعه سرمایه انسانی",
        "Deputy for Planning and Human Capital Development",
        None,
    ),
    (
        "urban_planning",
        "deputy",
        "معاونت شهرسازی و معماری",
        "Deputy for Urban Planning and Architecture",
        None,
    ),
    ("transport", "deputy", "معاونت حمل‌ونقل و ترافیک", "Deputy for Transport and Traffic", None),
    ("services", "deputy", "معاونت خدمات شهری", "Deputy for Urban Services", None),
    ("finance", "deputy", "معاونت مالی و اقتصادی", "Deputy for Finance and Economy", None),
    ("district_1", "district", "منطقه یک", "District 1", "services"),
    ("district_2", "district", "منطقه دو", "District 2", "services"),
    ("district_3", "district", "منطقه سه", "District 3", "services"),
    (
        "fire",
        "organization",
        "سازمان آتش‌نشانی و خدمات ایمنی",
        "Fire and Safety Services Organization",
        "services",
    ),
    (
        "parks",
        "organization",
        "سازمان سیما، منظر و فضای سبز شهری",
        "Parks and Green Space Organization",
        "services",
    ),
    ("waste", "organization", "سازمان مدیریت پسماند", "Waste Management Organization", "services"),
    (
        "bus",
        "organization",
        "سازمان اتوبوسرانی قزوین و حومه",
        "Qazvin and Suburbs Bus Organization",
        "transport",
    ),
    (
        "ict",
        "organization",
        "سازمان فناوری اطلاعات و ارتباطات",
        "Information and Communication Technology Organization",
        "planning",
    ),
    (
        "culture",
        "organization",
        "سازمان فرهنگی، اجتماعی و ورزشی",
        "Cultural, Social and Sports Organization",
        None,
    ),
)

# (goal_id, name_fa, name_en, parent_id, dept_id, weight)
_GOALS: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("G1", "شهر سبز و پاک", "A green and clean city", None, None, 2.0),
    ("G1_1", "افزایش سرانه و کیفیت فضای سبز", "More and better green space", "G1", "parks", 1.5),
    ("G1_2", "مدیریت پایدار پسماند", "Sustainable waste management", "G1", "waste", 1.0),
    (
        "G1_3",
        "ارتقای پاکیزگی و بهداشت محیط شهری",
        "Cleaner streets and public spaces",
        "G1",
        "services",
        1.0,
    ),
    (
        "G2",
        "حمل‌ونقل پایدار، روان و ایمن",
        "Sustainable, smooth and safe mobility",
        None,
        None,
        2.0,
    ),
    ("G2_1", "توسعه حمل‌ونقل عمومی", "Expand public transport", "G2", "bus", 2.0),
    ("G2_2", "ارتقای ایمنی ترافیک", "Safer streets", "G2", "transport", 1.5),
    (
        "G2_3",
        "روان‌سازی ترافیک و توسعه حمل‌ونقل غیرموتوری",
        "Smoother traffic and active mobility",
        "G2",
        "transport",
        1.0,
    ),
    ("G3", "شهر ایمن، تاب‌آور و سرزنده", "A safe, resilient and lively city", None, None, 1.5),
    (
        "G3_1",
        "ارتقای آمادگی و سرعت پاسخ به حوادث",
        "Preparedness and fast emergency response",
        "G3",
        "fire",
        2.0,
    ),
    (
        "G3_2",
        "نوسازی بافت فرسوده و کاهش آسیب‌پذیری کالبدی",
        "Renew worn-out urban fabric",
        "G3",
        "urban_planning",
        1.5,
    ),
    (
        "G3_3",
        "گسترش خدمات فرهنگی، اجتماعی و ورزشی",
        "More cultural, social and sports services",
        "G3",
        "culture",
        1.0,
    ),
    (
        "G4",
        "مدیریت شهری کارآمد، هوشمند و پاسخگو",
        "Efficient, smart and responsive city management",
        None,
        None,
        1.5,
    ),
    (
        "G4_1",
        "توسعه شهر هوشمند و خدمات الکترونیک",
        "Smart city and e-services",
        "G4",
        "ict",
        1.5,
    ),
    ("G4_2", "توسعه سرمایه انسانی", "Human capital development", "G4", "planning", 1.0),
    (
        "G4_3",
        "تسهیل و تسریع خدمات شهرسازی",
        "Faster planning and building services",
        "G4",
        "urban_planning",
        1.0,
    ),
    (
        "G4_4",
        "افزایش رضایت و مشارکت شهروندان",
        "Citizen satisfaction and participation",
        "G4",
        "planning",
        1.5,
    ),
    (
        "G5",
        "پایداری مالی و رونق اقتصاد شهری",
        "Financial sustainability and a thriving urban economy",
        None,
        None,
        1.0,
    ),
    ("G5_1", "افزایش سهم درآمدهای پایدار", "More sustainable revenue", "G5", "finance", 2.0),
    (
        "G5_2",
        "بهره‌وری هزینه‌ها و مدیریت دارایی‌ها",
        "Spending efficiency and asset management",
        "G5",
        "finance",
        1.0,
    ),
    (
        "G5_3",
        "جذب سرمایه‌گذاری و مشارکت بخش خصوصی",
        "Attract private investment and partnership",
        "G5",
        "finance",
        1.0,
    ),
)

# Share of the planned progress each department delivers (1 = exactly on its targets); the
# per-indicator spread around it comes from the seed.
_DEPT_PACE: dict[str, float] = {
    "planning": 0.95,
    "urban_planning": 0.7,
    "transport": 0.45,
    "services": 0.85,
    "finance": 0.55,
    "district_1": 1.05,
    "district_2": 0.85,
    "district_3": 0.5,
    "fire": 1.0,
    "parks": 1.1,
    "waste": 0.6,
    "bus": 0.4,
    "ict": 1.15,
    "culture": 0.8,
}

# Passport defaults per department: (responsible unit, data source, measurement frequency).
_DEPT_PASSPORT: dict[str, tuple[str, str, str]] = {
    "planning": ("مدیریت برنامه و بودجه", "سامانه پایش برنامه", "سالانه"),
    "urban_planning": ("مدیریت شهرسازی", "سامانه شهرسازی الکترونیک", "سالانه"),
    "transport": ("مدیریت مهندسی ترافیک", "مرکز کنترل ترافیک", "سالانه"),
    "services": ("معاونت خدمات شهری", "گزارش عملکرد معاونت خدمات شهری", "سالانه"),
    "finance": ("مدیریت درآمد", "سامانه مالی یکپارچه", "سالانه"),
    "district_1": ("شهرداری منطقه یک", "گزارش عملکرد منطقه", "سالانه"),
    "district_2": ("شهرداری منطقه دو", "گزارش عملکرد منطقه", "سالانه"),
    "district_3": ("شهرداری منطقه سه", "گزارش عملکرد منطقه", "سالانه"),
    "fire": ("معاونت عملیات آتش‌نشانی", "سامانه ثبت حوادث ۱۲۵", "سالانه"),
    "parks": ("سازمان سیما، منظر و فضای سبز شهری", "سامانه GIS شهرداری", "سالانه"),
    "waste": ("سازمان مدیریت پسماند", "سامانه توزین پسماند", "سالانه"),
    "bus": ("سازمان اتوبوسرانی قزوین و حومه", "سامانه AVL و بلیت الکترونیک", "سالانه"),
    "ict": ("سازمان فناوری اطلاعات و ارتباطات", "سامانه پنجره واحد خدمات الکترونیک", "سالانه"),
    "culture": (
        "سازمان فرهنگی، اجتماعی و ورزشی",
        "گزارش عملکرد سازمان فرهنگی، اجتماعی و ورزشی",
        "سالانه",
    ),
}


class _Spec(NamedTuple):
    """One indicator of the sample. ``definition=None`` means no passport at all."""

    indicator_id: str
    goal_id: str
    name_fa: str
    name_en: str
    unit: str
    direction: str
    baseline: float
    horizon: float  # the 1401 target; ignored when ``targets`` is given
    decimals: int = 1
    weight: float = 1.0
    limit: float | None = None
    level: str = "output"
    definition: str | None = None
    formula: str | None = None
    responsible: str | None = None
    source: str | None = None
    frequency: str | None = None
    tolerance: float = _DEFAULT_TOLERANCE
    targets: tuple[float, ...] | None = None  # explicit 1397–1401 targets; () = none
    actual: tuple[float, ...] | None = None  # explicit 1397–1399 values (the story)


_PCT = 100.0
_SURVEY = "نظرسنجی سالانه شهروندان"
_GIS = "سامانه GIS شهرداری"

_INDICATORS: dict[str, tuple[_Spec, ...]] = {
    "planning": (
        _Spec(
            "PLN01",
            "G4_2",
            "سرانه ساعات آموزش کارکنان",
            "Staff training hours per capita",
            "hours per employee",
            "increase",
            18,
            40,
            level="input",
            definition="میانگین ساعات آموزش ضمن خدمتی که هر کارمند در سال گذرانده است",
            formula="مجموع نفر-ساعت آموزش ÷ تعداد کل کارکنان",
            responsible="مدیریت توسعه سرمایه انسانی",
            source="سامانه آموزش کارکنان",
        ),
        _Spec(
            "PLN02",
            "G4_2",
            "درصد کارکنان دارای مدرک کارشناسی و بالاتر",
            "Staff with a bachelor's degree or higher",
            "%",
            "increase",
            46,
            60,
            limit=_PCT,
            level="input",
            definition="سهم کارکنانی که دست‌کم مدرک کارشناسی دارند از کل کارکنان",
            formula="کارکنان با مدرک کارشناسی و بالاتر ÷ کل کارکنان × ۱۰۰",
            responsible="مدیریت توسعه سرمایه انسانی",
            source="سامانه منابع انسانی",
        ),
        _Spec(
            "PLN03",
            "G4_2",
            "تعداد کارکنان به ازای هر هزار نفر جمعیت",
            "Staff per 1,000 residents",
            "staff per 1,000 residents",
            "decrease",
            4.9,
            4.2,
            decimals=2,
            level="input",
            definition="اندازه نیروی انسانی شهرداری نسبت به جمعیت شهر؛ نشانه چابکی سازمان",
            formula="تعداد کل کارکنان ÷ جمعیت شهر × ۱۰۰۰",
            responsible="مدیریت توسعه سرمایه انسانی",
            source="سامانه منابع انسانی؛ مرکز آمار ایران",
        ),
        _Spec(
            "PLN04",
            "G4_4",
            "میزان رضایت شهروندان از خدمات شهرداری",
            "Citizen satisfaction with municipal services",
            "%",
            "increase",
            54,
            70,
            weight=3,
            limit=_PCT,
            level="outcome",
            definition="میانگین رضایت شهروندان در نظرسنجی سالانه با نمونه‌گیری خوشه‌ای از محلات",
            formula="میانگین امتیاز رضایت (۱ تا ۵) تبدیل‌شده به درصد",
            source=_SURVEY,
        ),
        _Spec(
            "PLN05",
            "G5_2",
            "درصد پروژه‌های عمرانی تکمیل‌شده در موعد مقرر",
            "Capital projects completed on schedule",
            "%",
            "increase",
            38,
            65,
            limit=_PCT,
            definition="سهم پروژه‌های عمرانی که تا تاریخ پایان قرارداد به بهره‌برداری رسیده‌اند",
            formula="پروژه‌های تکمیل‌شده در موعد ÷ پروژه‌هایی که موعد پایانشان در سال است × ۱۰۰",
            source="سامانه کنترل پروژه",
        ),
        _Spec(
            "PLN06",
            "G5_2",
            "درصد تحقق بودجه مصوب",
            "Budget execution rate",
            "%",
            "increase",
            68,
            85,
            limit=_PCT,
            level="input",
            definition="نسبت عملکرد بودجه به بودجه مصوب همان سال",
            formula="عملکرد بودجه ÷ بودجه مصوب × ۱۰۰",
            source="سامانه بودجه",
        ),
        _Spec(
            "PLN07",
            "G4_4",
            "تعداد طرح‌های مشارکت شهروندی اجراشده",
            "Citizen participation projects carried out",
            "count",
            "increase",
            12,
            40,
            decimals=0,
            definition="طرح‌هایی که با مشارکت ساکنان محله یا سمن‌ها تعریف و اجرا شده‌اند",
            formula="شمارش طرح‌های خاتمه‌یافته در سال",
            source="دبیرخانه مشارکت‌های مردمی",
        ),
        _Spec(
            "PLN08",
            "G4_2",
            "درصد پیشنهادهای اجراشده کارکنان",
            "Staff suggestions implemented",
            "%",
            "increase",
            8,
            20,
            limit=_PCT,
        ),
    ),
    "urban_planning": (
        _Spec(
            "URB01",
            "G4_3",
            "میانگین زمان صدور پروانه ساختمانی",
            "Mean building-permit issuing time",
            "days",
            "decrease",
            62,
            30,
            decimals=0,
            weight=2,
            definition="میانگین روزهای کاری از تشکیل پرونده تا صدور پروانه ساختمانی",
            formula="مجموع روزهای صدور پروانه‌ها ÷ تعداد پروانه‌های صادرشده",
        ),
        _Spec(
            "URB02",
            "G4_3",
            "درصد پروانه‌های ساختمانی صادرشده به‌صورت الکترونیک",
            "Building permits issued electronically",
            "%",
            "increase",
            20,
            100,
            limit=_PCT,
            definition="سهم پروانه‌هایی که همه مراحل آن در سامانه شهرسازی الکترونیک انجام شده است",
            formula="پروانه‌های الکترونیک ÷ کل پروانه‌ها × ۱۰۰",
        ),
        _Spec(
            "URB03",
            "G3_2",
            "مساحت بافت فرسوده نوسازی‌شده",
            "Worn-out urban fabric renewed",
            "hectares per year",
            "increase",
            8,
            25,
            weight=2,
            level="outcome",
            definition="مساحت قطعاتی از بافت فرسوده مصوب که نوسازی آن‌ها در سال پایان یافته است",
            formula="جمع مساحت قطعات نوسازی‌شده (هکتار)",
            responsible="دفتر نوسازی بافت‌های فرسوده",
            source=_GIS,
        ),
        _Spec(
            "URB04",
            "G3_2",
            "تعداد پروانه‌های نوسازی در بافت فرسوده",
            "Renewal permits issued in worn-out areas",
            "count",
            "increase",
            310,
            600,
            decimals=0,
            definition="پروانه‌های ساختمانی صادرشده با مشوق‌های نوسازی برای قطعات بافت فرسوده",
            formula="شمارش پروانه‌های نوسازی در سال",
            responsible="دفتر نوسازی بافت‌های فرسوده",
        ),
        _Spec(
            "URB05",
            "G4_3",
            "درصد تخلفات ساختمانی ارجاعی به کمیسیون ماده ۱۰۰",
            "Building violations referred to the Article 100 commission",
            "%",
            "decrease",
            24,
            12,
            limit=_PCT,
            level="outcome",
            definition="سهم پرونده‌های ساختمانی دارای تخلف که به کمیسیون ماده ۱۰۰ قانون شهرداری‌ها ارجاع شده‌اند",
            formula="پرونده‌های ارجاعی به کمیسیون ÷ کل پرونده‌های پایان‌کار × ۱۰۰",
        ),
        _Spec(
            "URB06",
            "G3_2",
            "درصد ساختمان‌های دارای گواهی پایان‌کار",
            "Buildings with a completion certificate",
            "%",
            "increase",
            55,
            75,
            limit=_PCT,
            definition="سهم ساختمان‌های دارای پروانه که گواهی پایان‌کار دریافت کرده‌اند",
            formula="ساختمان‌های دارای پایان‌کار ÷ ساختمان‌های دارای پروانه × ۱۰۰",
        ),
    ),
    "transport": (
        # The plan's authors expected car ownership to grow faster than safety work could
        # cut accidents, so the targets rise although the direction is "decrease".
        _Spec(
            "TRF01",
            "G2_2",
            "تعداد تصادفات درون‌شهری به ازای هر ده هزار خودرو",
            "Urban traffic accidents per 10,000 vehicles",
            "accidents per 10,000 vehicles",
            "decrease",
            96,
            100,
            decimals=0,
            weight=2,
            level="outcome",
            definition="تصادفات منجر به خسارت، جرح یا فوت در محدوده شهر به ازای هر ده هزار خودروی شماره‌گذاری‌شده",
            formula="تعداد تصادفات ÷ تعداد خودروها × ۱۰۰۰۰",
            source="پلیس راهور استان قزوین",
            targets=(97, 98, 99, 100, 100),
            actual=(94, 95, 91),
        ),
        _Spec(
            "TRF02",
            "G2_2",
            "تعداد جان‌باختگان سوانح ترافیکی درون‌شهری به ازای هر صد هزار نفر",
            "Urban road deaths per 100,000 residents",
            "deaths per 100,000 residents",
            "decrease",
            5.8,
            3.5,
            weight=2,
            level="impact",
            definition="شمار فوتی‌های تصادفات درون‌شهری نسبت به جمعیت شهر",
            formula="تعداد فوتی‌ها ÷ جمعیت × ۱۰۰۰۰۰",
            source="پزشکی قانونی استان قزوین",
        ),
        _Spec(
            "TRF03",
            "G2_3",
            "میانگین سرعت سفر در معابر شریانی در ساعات اوج",
            "Mean peak-hour travel speed on arterial streets",
            "km/h",
            "increase",
            21,
            27,
            level="outcome",
            definition="میانگین سرعت خودروهای سواری در شبکه شریانی در ساعات اوج صبح و عصر",
            formula="طول مسیرهای نمونه ÷ زمان سفر اندازه‌گیری‌شده (میانگین وزنی)",
            source="سامانه دوربین‌های ثبت تخلف",
        ),
        _Spec(
            "TRF04",
            "G2_3",
            "طول شبکه مسیرهای دوچرخه",
            "Cycle lane network length",
            "km",
            "increase",
            14,
            45,
            definition="طول مسیرهای ویژه یا مشترک دوچرخه با علائم و خط‌کشی استاندارد",
            formula="جمع طول مسیرهای دوچرخه بهره‌برداری‌شده (کیلومتر)",
            source=_GIS,
        ),
        _Spec(
            "TRF05",
            "G2_3",
            "تعداد تقاطع‌های مجهز به سامانه هوشمند کنترل ترافیک",
            "Intersections with adaptive signal control",
            "count",
            "increase",
            35,
            90,
            decimals=0,
            definition="تقاطع‌های چراغ‌دار متصل به مرکز کنترل ترافیک با زمان‌بندی هوشمند",
            formula="شمارش تقاطع‌های متصل در پایان سال",
        ),
        _Spec(
            "TRF06",
            "G2_2",
            "درصد معابر اصلی دارای خط‌کشی و علائم استاندارد",
            "Main streets with standard markings and signs",
            "%",
            "increase",
            60,
            85,
            limit=_PCT,
            definition="سهم طول معابر اصلی که خط‌کشی و تابلوهای آن مطابق آیین‌نامه است",
            formula="طول معابر استاندارد ÷ طول کل معابر اصلی × ۱۰۰",
        ),
        _Spec(
            "TRF07",
            "G2_3",
            "تعداد جای پارک حاشیه‌ای هوشمند",
            "Smart on-street parking spaces",
            "count",
            "increase",
            400,
            3000,
            decimals=0,
        ),
    ),
    "services": (
        _Spec(
            "SRV01",
            "G1_3",
            "درصد معابر با رفت‌وروب مکانیزه",
            "Streets swept mechanically",
            "%",
            "increase",
            22,
            45,
            limit=_PCT,
            definition="سهم طول معابری که با جاروب مکانیزه نظافت می‌شوند",
            formula="طول معابر با رفت‌وروب مکانیزه ÷ کل طول معابر × ۱۰۰",
        ),
        _Spec(
            "SRV02",
            "G4_4",
            "میانگین زمان رسیدگی به درخواست‌های سامانه ۱۳۷",
            "Mean response time to 137 hotline requests",
            "days",
            "decrease",
            6.5,
            3,
            weight=2,
            definition="میانگین روزهای میان ثبت درخواست شهروند در سامانه ۱۳۷ تا اعلام پایان رسیدگی",
            formula="مجموع روزهای رسیدگی ÷ تعداد درخواست‌های بسته‌شده",
            source="سامانه ۱۳۷",
            frequency="ماهانه",
        ),
        _Spec(
            "SRV03",
            "G1_3",
            "میزان رضایت شهروندان از پاکیزگی شهر",
            "Citizen satisfaction with city cleanliness",
            "%",
            "increase",
            58,
            72,
            limit=_PCT,
            level="outcome",
            definition="درصد پاسخ‌دهندگان راضی و کاملاً راضی از پاکیزگی معابر",
            formula="پاسخ‌های راضی ÷ کل پاسخ‌ها × ۱۰۰",
            source=_SURVEY,
        ),
        _Spec(
            "SRV04",
            "G1_3",
            "تعداد سرویس‌های بهداشتی عمومی استاندارد",
            "Standard public toilets",
            "count",
            "increase",
            42,
            70,
            decimals=0,
            definition="سرویس‌های بهداشتی عمومی با دسترسی معلولان و نظافت روزانه",
            formula="شمارش سرویس‌های فعال در پایان سال",
        ),
        # Air quality depends on far more than the municipality: monitored, not targeted.
        _Spec(
            "SRV05",
            "G1_3",
            "تعداد روزهای با هوای پاک و قابل قبول",
            "Days with clean or acceptable air",
            "days per year",
            "increase",
            240,
            240,
            decimals=0,
            limit=365,
            level="impact",
            definition="روزهایی از سال که شاخص کیفیت هوا (AQI) کمتر از ۱۰۰ بوده است",
            formula="شمارش روزهای با AQI کمتر از ۱۰۰",
            source="اداره کل حفاظت محیط زیست استان قزوین",
            targets=(),
            actual=(236, 251, 268),
        ),
        _Spec(
            "SRV06",
            "G1_3",
            "طول انهار و کانال‌های لایروبی‌شده",
            "Drains and channels dredged",
            "km",
            "increase",
            85,
            140,
            decimals=0,
            definition="طول کانال‌های آب‌های سطحی که پیش از فصل بارش لایروبی شده‌اند",
            formula="جمع طول لایروبی‌شده (کیلومتر)",
        ),
    ),
    "finance": (
        # The 1399 target dips below 1398's: a copying slip in the plan document.
        _Spec(
            "FIN01",
            "G5_1",
            "سهم درآمدهای پایدار از کل درآمدها",
            "Share of sustainable sources in total revenue",
            "%",
            "increase",
            31,
            45,
            weight=3,
            limit=_PCT,
            level="outcome",
            definition="سهم درآمدهای غیروابسته به فروش تراکم و دارایی (عوارض نوسازی، کسب‌وپیشه، بهای خدمات و ...) از کل درآمد",
            formula="درآمدهای پایدار ÷ کل درآمدها × ۱۰۰",
            targets=(33, 37, 35, 41, 45),
        ),
        _Spec(
            "FIN02",
            "G5_1",
            "سهم درآمد فروش تراکم و تغییر کاربری از کل درآمدها",
            "Share of density sales and land-use change in revenue",
            "%",
            "decrease",
            52,
            35,
            weight=2,
            limit=_PCT,
            definition="سهم درآمدهای ناپایدار وابسته به ساخت‌وساز از کل درآمد",
            formula="درآمد فروش تراکم و تغییر کاربری ÷ کل درآمدها × ۱۰۰",
            actual=(54.5, 57.1, 55.8),
        ),
        _Spec(
            "FIN03",
            "G5_2",
            "نسبت هزینه‌های جاری به کل هزینه‌ها",
            "Current expenditure as a share of total spending",
            "%",
            "maintain",
            38,
            38,
            limit=_PCT,
            level="input",
            definition="نسبت هزینه‌های جاری (حقوق، اداری و نگهداری) به کل هزینه‌ها؛ برنامه حفظ این نسبت را خواسته است",
            formula="هزینه‌های جاری ÷ کل هزینه‌ها × ۱۰۰",
        ),
        _Spec(
            "FIN04",
            "G5_2",
            "نسبت بدهی به درآمد سالانه",
            "Debt to annual revenue",
            "%",
            "decrease",
            64,
            40,
            definition="نسبت کل بدهی‌های سررسیدشده و آتی شهرداری به درآمد وصولی سال",
            formula="کل بدهی ÷ درآمد سالانه × ۱۰۰",
        ),
        _Spec(
            "FIN05",
            "G5_1",
            "درصد وصول عوارض نوسازی",
            "Collection rate of renewal charges",
            "%",
            "increase",
            48,
            70,
            limit=_PCT,
            definition="سهم عوارض نوسازی وصول‌شده از عوارض قطعی‌شده سال",
            formula="عوارض وصول‌شده ÷ عوارض قطعی‌شده × ۱۰۰",
        ),
        _Spec(
            "FIN06",
            "G5_3",
            "حجم سرمایه‌گذاری بخش خصوصی در پروژه‌های شهرداری",
            "Private investment in municipal projects",
            "billion rials",
            "increase",
            850,
            3500,
            decimals=0,
            level="input",
            definition="ارزش قراردادهای سرمایه‌گذاری و مشارکت منعقدشده با بخش خصوصی در سال",
            formula="جمع ارزش قراردادها (میلیارد ریال)",
            responsible="مدیریت سرمایه‌گذاری و مشارکت‌های مردمی",
        ),
        _Spec(
            "FIN07",
            "G5_3",
            "تعداد قراردادهای مشارکت و سرمایه‌گذاری منعقدشده",
            "Public-private partnership contracts signed",
            "count",
            "increase",
            6,
            20,
            decimals=0,
        ),
        _Spec(
            "FIN08",
            "G5_2",
            "درصد املاک ثبت‌شده در سامانه جامع املاک",
            "Municipal properties registered in the asset register",
            "%",
            "increase",
            40,
            100,
            limit=_PCT,
            definition="سهم املاک شهرداری که سند و مشخصات آن در سامانه جامع املاک ثبت شده است",
            formula="املاک ثبت‌شده ÷ کل املاک شناسایی‌شده × ۱۰۰",
            responsible="اداره املاک",
        ),
    ),
    "fire": (
        _Spec(
            "FIR01",
            "G3_1",
            "میانگین زمان رسیدن به محل حادثه",
            "Mean fire response time",
            "minutes",
            "decrease",
            6.8,
            4.5,
            weight=2,
            level="outcome",
            definition="میانگین دقیقه‌های میان دریافت تماس ۱۲۵ تا رسیدن نخستین خودروی عملیاتی به محل حادثه",
            formula="مجموع زمان‌های رسیدن ÷ تعداد عملیات",
            frequency="ماهانه",
        ),
        _Spec(
            "FIR02",
            "G3_1",
            "تعداد ایستگاه‌های آتش‌نشانی فعال",
            "Active fire stations",
            "count",
            "increase",
            11,
            16,
            decimals=0,
            level="input",
            definition="ایستگاه‌های دارای خودرو و نیروی عملیاتی شبانه‌روزی",
            formula="شمارش ایستگاه‌های فعال در پایان سال",
        ),
        _Spec(
            "FIR03",
            "G3_1",
            "درصد جمعیت در شعاع پنج‌دقیقه‌ای ایستگاه‌های آتش‌نشانی",
            "Population within 5 minutes of a fire station",
            "%",
            "increase",
            62,
            85,
            limit=_PCT,
            level="outcome",
            definition="سهم جمعیت شهر که در محدوده زمان رسیدن پنج‌دقیقه‌ای یک ایستگاه زندگی می‌کنند",
            formula="جمعیت تحت پوشش ÷ کل جمعیت × ۱۰۰",
            source=_GIS,
        ),
        _Spec(
            "FIR04",
            "G3_1",
            "ضریب آمادگی ناوگان عملیاتی",
            "Operational fleet readiness",
            "%",
            "maintain",
            95,
            95,
            limit=_PCT,
            level="input",
            tolerance=0.02,
            definition="سهم خودروهای عملیاتی آماده به کار در بازدیدهای سرزده",
            formula="خودروهای آماده ÷ کل خودروهای عملیاتی × ۱۰۰",
            frequency="فصلی",
        ),
        _Spec(
            "FIR05",
            "G3_1",
            "تعداد شهروندان آموزش‌دیده در ایمنی و آتش‌نشانی",
            "Citizens trained in fire safety",
            "persons",
            "increase",
            9000,
            25000,
            decimals=0,
            definition="شهروندان، دانش‌آموزان و کارکنان اصناف که دوره آموزش همگانی ایمنی را گذرانده‌اند",
            formula="شمارش شرکت‌کنندگان دوره‌ها",
            responsible="معاونت پیشگیری و حفاظت",
            actual=(12800, 16400, 7300),
        ),
        _Spec(
            "FIR06",
            "G3_1",
            "تعداد جان‌باختگان حریق به ازای هر صد هزار نفر",
            "Fire deaths per 100,000 residents",
            "deaths per 100,000 residents",
            "decrease",
            0.9,
            0.5,
            decimals=2,
            level="impact",
            definition="شمار فوتی‌های ناشی از حریق و حوادث در محدوده شهر نسبت به جمعیت",
            formula="تعداد فوتی‌ها ÷ جمعیت × ۱۰۰۰۰۰",
        ),
        _Spec(
            "FIR07",
            "G3_1",
            "درصد ساختمان‌های بلندمرتبه دارای تأییدیه ایمنی",
            "High-rise buildings with a fire-safety approval",
            "%",
            "increase",
            35,
            80,
            limit=_PCT,
            definition="سهم ساختمان‌های شش طبقه و بیشتر که تأییدیه ایمنی سازمان آتش‌نشانی دارند",
            formula="ساختمان‌های دارای تأییدیه ÷ کل ساختمان‌های بلندمرتبه × ۱۰۰",
            responsible="معاونت پیشگیری و حفاظت",
        ),
    ),
    "parks": (
        _Spec(
            "PRK01",
            "G1_1",
            "سرانه فضای سبز شهری",
            "Urban green space per capita",
            "m² per capita",
            "increase",
            12.4,
            14.5,
            weight=2,
            level="outcome",
            definition="مساحت فضای سبز عمومی (بوستان‌ها، کمربند سبز و فضای سبز معابر) به ازای هر نفر",
            formula="مساحت فضای سبز عمومی (مترمربع) ÷ جمعیت شهر",
        ),
        _Spec(
            "PRK02",
            "G1_1",
            "مساحت بوستان‌های احداث‌شده",
            "New park area built",
            "hectares per year",
            "increase",
            6,
            15,
            definition="مساحت بوستان‌هایی که در سال به بهره‌برداری رسیده‌اند",
            formula="جمع مساحت بوستان‌های افتتاح‌شده (هکتار)",
        ),
        _Spec(
            "PRK03",
            "G1_1",
            "درصد فضای سبز مجهز به آبیاری نوین",
            "Green space with modern irrigation",
            "%",
            "increase",
            28,
            60,
            limit=_PCT,
            definition="سهم مساحت فضای سبز با آبیاری قطره‌ای، بارانی یا زیرسطحی",
            formula="مساحت با آبیاری نوین ÷ کل مساحت فضای سبز × ۱۰۰",
        ),
        _Spec(
            "PRK04",
            "G1_1",
            "سهم پساب و آب خام در آبیاری فضای سبز",
            "Treated wastewater and raw water in irrigation",
            "%",
            "increase",
            35,
            70,
            limit=_PCT,
            level="outcome",
            definition="سهم حجم آب آبیاری که از پساب تصفیه‌خانه یا چاه‌ها و قنات‌ها تأمین می‌شود",
            formula="حجم پساب و آب خام ÷ کل آب آبیاری × ۱۰۰",
            source="کنتورهای هوشمند آبیاری",
        ),
        _Spec(
            "PRK05",
            "G1_1",
            "تعداد درختان کاشته‌شده",
            "Trees planted",
            "trees per year",
            "increase",
            18000,
            30000,
            decimals=0,
        ),
        _Spec(
            "PRK06",
            "G1_1",
            "میزان رضایت شهروندان از بوستان‌ها",
            "Citizen satisfaction with parks",
            "%",
            "increase",
            63,
            75,
            limit=_PCT,
            level="outcome",
            definition="درصد پاسخ‌دهندگان راضی از کیفیت و نگهداری بوستان‌ها",
            formula="پاسخ‌های راضی ÷ کل پاسخ‌ها × ۱۰۰",
            source=_SURVEY,
        ),
    ),
    "waste": (
        _Spec(
            "WST01",
            "G1_2",
            "درصد پسماند بازیافت‌شده",
            "Recycled waste",
            "%",
            "increase",
            8,
            25,
            weight=2,
            limit=_PCT,
            level="outcome",
            definition="سهم وزنی پسماند شهری که بازیافت یا کمپوست می‌شود",
            formula="وزن پسماند بازیافت و کمپوست‌شده ÷ کل پسماند جمع‌آوری‌شده × ۱۰۰",
        ),
        _Spec(
            "WST02",
            "G1_2",
            "درصد پسماند تفکیک‌شده از مبدأ",
            "Waste separated at source",
            "%",
            "increase",
            6,
            20,
            limit=_PCT,
            definition="سهم وزنی پسماند خشکی که در منازل و اصناف جدا و تحویل داده می‌شود",
            formula="وزن پسماند خشک تفکیک‌شده ÷ کل پسماند × ۱۰۰",
            actual=(5.6, 5.1, 4.7),
        ),
        _Spec(
            "WST03",
            "G1_2",
            "سرانه تولید پسماند شهری",
            "Municipal waste generated per capita",
            "kg per person per day",
            "decrease",
            0.78,
            0.68,
            decimals=2,
            level="outcome",
            definition="میانگین وزن پسماند عادی شهری به ازای هر نفر در روز",
            formula="کل پسماند سال (کیلوگرم) ÷ (جمعیت × ۳۶۵)",
        ),
        _Spec(
            "WST04",
            "G1_2",
            "درصد پسماند دفن‌شده به روش بهداشتی",
            "Waste landfilled to sanitary standard",
            "%",
            "increase",
            70,
            95,
            limit=_PCT,
            definition="سهم پسماند دفنی که در سلول‌های مهندسی با پوشش روزانه دفن می‌شود",
            formula="وزن دفن بهداشتی ÷ کل پسماند دفنی × ۱۰۰",
        ),
        _Spec(
            "WST05",
            "G1_2",
            "درصد پوشش خدمات جمع‌آوری پسماند",
            "Waste collection coverage",
            "%",
            "maintain",
            100,
            100,
            limit=_PCT,
            tolerance=0.01,
            definition="سهم محله‌هایی که دست‌کم یک نوبت در روز خدمات جمع‌آوری پسماند دریافت می‌کنند",
            formula="محله‌های تحت پوشش ÷ کل محله‌ها × ۱۰۰",
        ),
        _Spec(
            "WST06",
            "G1_2",
            "تعداد غرفه‌های تحویل پسماند خشک",
            "Recycling drop-off booths",
            "count",
            "increase",
            24,
            60,
            decimals=0,
        ),
        _Spec(
            "WST07",
            "G1_2",
            "درصد شیرابه تصفیه‌شده در مرکز دفن",
            "Landfill leachate treated",
            "%",
            "increase",
            10,
            80,
            limit=_PCT,
            level="outcome",
            definition="سهم حجم شیرابه تولیدی مرکز دفن که پیش از رهاسازی تصفیه می‌شود",
            formula="حجم شیرابه تصفیه‌شده ÷ حجم شیرابه تولیدی × ۱۰۰",
        ),
    ),
    "bus": (
        _Spec(
            "BUS01",
            "G2_1",
            "سهم حمل‌ونقل عمومی از سفرهای درون‌شهری",
            "Public transport share of urban trips",
            "%",
            "increase",
            18,
            30,
            weight=3,
            limit=_PCT,
            level="outcome",
            definition="سهم سفرهای روزانه درون‌شهری که با اتوبوس و تاکسی انجام می‌شود",
            formula="سفرهای حمل‌ونقل عمومی ÷ کل سفرهای روزانه × ۱۰۰",
            responsible="معاونت حمل‌ونقل و ترافیک",
            source="آمارگیری مبدأ-مقصد سفر",
            actual=(18.6, 19.1, 11.4),
        ),
        _Spec(
            "BUS02",
            "G2_1",
            "میانگین عمر ناوگان اتوبوسرانی",
            "Mean bus fleet age",
            "years",
            "decrease",
            9.2,
            6,
            level="input",
            definition="میانگین سن اتوبوس‌های فعال از سال ساخت",
            formula="مجموع سن اتوبوس‌ها ÷ تعداد اتوبوس‌ها",
            actual=(9.9, 10.8, 11.7),
        ),
        _Spec(
            "BUS03",
            "G2_1",
            "تعداد اتوبوس‌های فعال",
            "Active buses",
            "count",
            "increase",
            210,
            320,
            decimals=0,
            level="input",
            definition="اتوبوس‌هایی که دست‌کم بیست روز در ماه در خطوط فعال بوده‌اند",
            formula="میانگین ماهانه اتوبوس‌های فعال",
        ),
        _Spec(
            "BUS04",
            "G2_1",
            "درصد ناوگان مجهز به سامانه مکان‌یابی خودکار (AVL)",
            "Buses with automatic vehicle location (AVL)",
            "%",
            "increase",
            40,
            100,
            limit=_PCT,
            definition="سهم اتوبوس‌های فعالی که موقعیت آن‌ها برخط در مرکز کنترل دیده می‌شود",
            formula="اتوبوس‌های مجهز ÷ کل اتوبوس‌های فعال × ۱۰۰",
        ),
        _Spec(
            "BUS05",
            "G2_1",
            "میانگین زمان انتظار مسافر در ایستگاه",
            "Mean passenger waiting time at stops",
            "minutes",
            "decrease",
            14,
            8,
            level="outcome",
            definition="نصف میانگین سرفاصله زمانی حرکت اتوبوس‌ها در خطوط اصلی",
            formula="میانگین سرفاصله حرکت ÷ ۲",
        ),
        _Spec(
            "BUS06",
            "G2_1",
            "تعداد مسافران روزانه اتوبوسرانی",
            "Daily bus passengers",
            "thousand passengers per day",
            "increase",
            120,
            180,
            decimals=0,
            definition="میانگین سفرهای روزانه ثبت‌شده با بلیت الکترونیک و نقدی",
            formula="کل سفرهای سال ÷ روزهای کاری (هزار سفر)",
            actual=(124, 129, 71),
        ),
        _Spec(
            "BUS07",
            "G2_1",
            "درصد کرایه‌های پرداخت‌شده به‌صورت الکترونیک",
            "Fares paid electronically",
            "%",
            "increase",
            55,
            95,
            limit=_PCT,
            definition="سهم سفرهایی که کرایه آن‌ها با کارت بلیت یا اپلیکیشن پرداخت شده است",
            formula="سفرهای با پرداخت الکترونیک ÷ کل سفرها × ۱۰۰",
        ),
    ),
    "ict": (
        _Spec(
            "ICT01",
            "G4_1",
            "تعداد خدمات الکترونیک قابل ارائه به شهروندان",
            "E-services available to citizens",
            "count",
            "increase",
            45,
            150,
            decimals=0,
            weight=2,
            definition="خدماتی که شهروند بدون مراجعه حضوری درخواست و دریافت می‌کند",
            formula="شمارش خدمات فعال در پنجره واحد در پایان سال",
            actual=(64, 90, 137),
        ),
        _Spec(
            "ICT02",
            "G4_1",
            "درصد درخواست‌های شهروندان ثبت‌شده به‌صورت برخط",
            "Citizen requests filed online",
            "%",
            "increase",
            25,
            70,
            limit=_PCT,
            level="outcome",
            definition="سهم درخواست‌هایی که شهروندان از راه وبگاه یا اپلیکیشن ثبت کرده‌اند",
            formula="درخواست‌های برخط ÷ کل درخواست‌ها × ۱۰۰",
        ),
        _Spec(
            "ICT03",
            "G4_1",
            "تعداد کاربران فعال اپلیکیشن شهروندی",
            "Active users of the citizen app",
            "thousand users",
            "increase",
            20,
            150,
            decimals=0,
            definition="کاربرانی که دست‌کم یک بار در ماه آخر سال از اپلیکیشن استفاده کرده‌اند",
            formula="شمارش کاربران فعال ماهانه (هزار نفر)",
        ),
        _Spec(
            "ICT04",
            "G4_1",
            "درصد فرایندهای اداری بدون کاغذ",
            "Paperless administrative processes",
            "%",
            "increase",
            30,
            80,
            limit=_PCT,
            definition="سهم فرایندهای اداری که همه مراحل آن‌ها در سامانه اتوماسیون انجام می‌شود",
            formula="فرایندهای بدون کاغذ ÷ کل فرایندهای شناسایی‌شده × ۱۰۰",
        ),
        _Spec(
            "ICT05",
            "G4_1",
            "درصد دسترس‌پذیری سامانه‌های شهرداری",
            "Uptime of municipal information systems",
            "%",
            "maintain",
            99.5,
            99.5,
            decimals=2,
            limit=_PCT,
            level="input",
            tolerance=0.005,
            definition="سهم زمانی که سامانه‌های خدمات شهروندی در دسترس بوده‌اند",
            formula="ساعات در دسترس ÷ کل ساعات سال × ۱۰۰",
            frequency="ماهانه",
        ),
        _Spec(
            "ICT06",
            "G4_1",
            "تعداد نقاط اینترنت رایگان عمومی",
            "Free public Wi-Fi hotspots",
            "count",
            "increase",
            12,
            60,
            decimals=0,
        ),
    ),
    "culture": (
        _Spec(
            "CUL01",
            "G3_3",
            "سرانه فضاهای فرهنگی",
            "Cultural space per capita",
            "m² per capita",
            "increase",
            0.12,
            0.2,
            decimals=2,
            level="outcome",
            definition="مساحت فرهنگسراها، کتابخانه‌ها و سالن‌های عمومی به ازای هر نفر",
            formula="مساحت فضاهای فرهنگی (مترمربع) ÷ جمعیت شهر",
        ),
        _Spec(
            "CUL02",
            "G3_3",
            "تعداد برنامه‌های فرهنگی و هنری برگزارشده",
            "Cultural and art events held",
            "events per year",
            "increase",
            480,
            900,
            decimals=0,
            definition="جشنواره‌ها، نمایشگاه‌ها و برنامه‌های مناسبتی برگزارشده در سال",
            formula="شمارش برنامه‌ها",
        ),
        _Spec(
            "CUL03",
            "G3_3",
            "سرانه فضاهای ورزشی عمومی",
            "Public sports space per capita",
            "m² per capita",
            "increase",
            0.45,
            0.7,
            decimals=2,
            definition="مساحت سالن‌ها، زمین‌ها و ایستگاه‌های ورزشی عمومی به ازای هر نفر",
            formula="مساحت فضاهای ورزشی (مترمربع) ÷ جمعیت شهر",
        ),
        _Spec(
            "CUL04",
            "G3_3",
            "تعداد سراهای محله فعال",
            "Active neighbourhood centres",
            "count",
            "increase",
            18,
            40,
            decimals=0,
            definition="سراهای محله‌ای که دست‌کم پنج روز در هفته برنامه دارند",
            formula="شمارش سراهای فعال در پایان سال",
        ),
        _Spec(
            "CUL05",
            "G3_3",
            "تعداد شرکت‌کنندگان در دوره‌های آموزش شهروندی",
            "Participants in citizenship courses",
            "thousand persons",
            "increase",
            15,
            40,
        ),
    ),
}

# Districts share one indicator set; (baseline, 1401 target) differ per district.
_DISTRICT_NAMES = {"district_1": ("یک", "1"), "district_2": ("دو", "2"), "district_3": ("سه", "3")}
_DISTRICT_INDICATORS: tuple[tuple[_Spec, dict[str, tuple[float, float]]], ...] = (
    (
        _Spec(
            "01",
            "G1_1",
            "سرانه فضای سبز",
            "Green space per capita",
            "m² per capita",
            "increase",
            0,
            0,
            weight=1.5,
            level="outcome",
            definition="مساحت فضای سبز عمومی منطقه به ازای هر نفر جمعیت منطقه",
            formula="مساحت فضای سبز عمومی منطقه (مترمربع) ÷ جمعیت منطقه",
            source=_GIS,
        ),
        {"district_1": (13.1, 15.0), "district_2": (10.2, 12.5), "district_3": (8.6, 11.0)},
    ),
    (
        _Spec(
            "02",
            "G2_3",
            "درصد معابر دارای آسفالت مطلوب",
            "Streets with good-quality asphalt",
            "%",
            "increase",
            0,
            0,
            limit=_PCT,
            definition="سهم طول معابر منطقه که شاخص وضعیت روسازی آن‌ها خوب یا عالی است",
            formula="طول معابر با روسازی مطلوب ÷ کل طول معابر منطقه × ۱۰۰",
        ),
        {"district_1": (72, 88), "district_2": (64, 82), "district_3": (51, 75)},
    ),
    (
        _Spec(
            "03",
            "G4_4",
            "میانگین زمان رسیدگی به درخواست‌های ۱۳۷",
            "Mean 137 hotline response time",
            "days",
            "decrease",
            0,
            0,
            definition="میانگین روزهای رسیدگی به درخواست‌های ارجاع‌شده از سامانه ۱۳۷ به منطقه",
            formula="مجموع روزهای رسیدگی ÷ تعداد درخواست‌های بسته‌شده",
            source="سامانه ۱۳۷",
            frequency="ماهانه",
        ),
        {"district_1": (5.8, 3.0), "district_2": (6.9, 3.5), "district_3": (7.4, 3.5)},
    ),
    (
        _Spec(
            "04",
            "G5_1",
            "درصد تحقق درآمد نسبت به بودجه مصوب",
            "Revenue collected against the approved budget",
            "%",
            "increase",
            0,
            0,
            level="input",
            definition="نسبت درآمد وصولی منطقه به درآمد پیش‌بینی‌شده در بودجه مصوب",
            formula="درآمد وصولی ÷ درآمد مصوب × ۱۰۰",
            source="سامانه مالی یکپارچه",
        ),
        {"district_1": (82, 95), "district_2": (77, 95), "district_3": (69, 92)},
    ),
    (
        _Spec(
            "05",
            "G4_3",
            "تعداد تخلفات ساختمانی ثبت‌شده",
            "Building violations recorded",
            "count",
            "decrease",
            0,
            0,
            decimals=0,
            definition="پرونده‌های تخلف ساختمانی که در سال در منطقه تشکیل شده است",
            formula="شمارش پرونده‌های تخلف",
            source="سامانه شهرسازی الکترونیک",
        ),
        {"district_1": (420, 250), "district_2": (560, 330), "district_3": (690, 400)},
    ),
)

# Explicit story values for district indicators (the rest follow the district's pace).
_DISTRICT_ACTUAL: dict[str, tuple[float, ...]] = {"D3_05": (720, 765, 801)}

#: Reported blanks: (indicator_id, year) -> the department's explanation.
_MISSING: dict[tuple[str, int], str] = {
    ("PLN04", 1398): "نظرسنجی سالانه به دلیل کمبود اعتبار انجام نشد",
    ("TRF03", 1399): _NO_DATA + "؛ اندازه‌گیری در دوره محدودیت‌های کرونا انجام نشد",
    ("FIN06", 1399): "آمار نهایی قراردادها هنوز تأیید نشده است",
    ("WST03", 1397): _NO_DATA,
    ("D3_04", 1398): _NO_DATA,
}

#: Notes beside reported values.
_NOTES: dict[tuple[str, int], str] = {
    ("PRK01", 1397): "با احتساب بوستان‌های جدید",
    ("PLN01", 1399): "برگزاری دوره‌ها به‌صورت مجازی",
    ("SRV05", 1399): "کاهش تردد خودروها در دوره محدودیت‌های کرونا",
    ("FIN02", 1398): "رونق ساخت‌وساز و افزایش فروش تراکم",
    ("FIR05", 1399): "لغو دوره‌های حضوری به دلیل همه‌گیری کرونا",
    ("WST02", 1398): "توقف قرارداد پیمانکار تفکیک از مبدأ",
    ("BUS01", 1399): "کاهش شدید سفرها به دلیل شیوع کرونا و محدودیت‌های تردد",
    ("BUS02", 1398): "عدم تأمین اتوبوس جدید به دلیل کمبود اعتبار",
    ("BUS06", 1399): "کاهش مسافر به دلیل شیوع کرونا",
    ("ICT01", 1399): "توسعه خدمات غیرحضوری در دوران کرونا",
    ("D3_05", 1399): "افزایش ساخت‌وساز غیرمجاز در حاشیه شهر",
    ("TRF01", 1399): "نصب دوربین‌های ثبت تخلف در تقاطع‌های پرحادثه",
}

#: Department-years with no report at all.
_NO_REPORT: frozenset[tuple[str, int]] = frozenset({("culture", 1399)})


def _catalogue() -> list[tuple[str, _Spec]]:
    """Every sample indicator with its department, in department order."""
    out: list[tuple[str, _Spec]] = []
    for dept_id, *_ in _DEPARTMENTS:
        if dept_id in _DISTRICT_NAMES:
            name_fa, number = _DISTRICT_NAMES[dept_id]
            for template, values in _DISTRICT_INDICATORS:
                indicator_id = f"D{number}_{template.indicator_id}"
                baseline, horizon = values[dept_id]
                out.append(
                    (
                        dept_id,
                        template._replace(
                            indicator_id=indicator_id,
                            name_fa=f"{template.name_fa} در منطقه {name_fa}",
                            name_en=f"{template.name_en} (District {number})",
                            baseline=baseline,
                            horizon=horizon,
                            actual=_DISTRICT_ACTUAL.get(indicator_id),
                        ),
                    )
                )
        else:
            out.extend((dept_id, spec) for spec in _INDICATORS[dept_id])
    return out


def _targets_of(spec: _Spec) -> tuple[float, ...]:
    """The spec's 1397–1401 targets: explicit, or a straight line from baseline to horizon."""
    if spec.targets is not None:
        return tuple(float(t) for t in spec.targets)
    steps = np.arange(1, len(_PLAN_YEARS) + 1) / len(_PLAN_YEARS)
    line = spec.baseline + (spec.horizon - spec.baseline) * steps
    return tuple(float(t) for t in np.round(line, spec.decimals))


def _values_of(
    spec: _Spec, targets: tuple[float, ...], pace: float, noise: np.ndarray
) -> np.ndarray:
    """Reported 1397–1399 values before blanks are applied.

    ``pace`` is the share of the planned progress delivered; ``noise`` holds standard-normal
    draws, one per report year.
    """
    baseline = spec.baseline
    if spec.actual is not None:
        values = np.asarray(spec.actual, dtype=float)
    elif spec.direction == "maintain" or not targets:
        values = baseline * (1.0 + 0.6 * spec.tolerance * noise)
    else:
        planned = np.asarray(targets[: len(_REPORT_YEARS)])
        # Noise scales with the planned change, plus a floor so small changes still wobble.
        scale = 0.05 * abs(spec.horizon - baseline) + 0.005 * abs(baseline)
        values = baseline + pace * (planned - baseline) + scale * noise
    upper = spec.limit if spec.limit is not None else np.inf
    return np.round(np.clip(values, 0.0, upper), spec.decimals)


def qazvin_sample(seed: int = 1397) -> PlanTables:
    """Qazvin's second five-year strategic-operational plan, with three years of reports.

    The plan runs 1397–1401 (Jalali) from a 1396 baseline; departments reported for 1397, 1398
    and 1399. Structure and story are fixed; ``seed`` moves only the noise of the values that
    the story does not pin down, so the same seed always returns identical frames.

    Parameters
    ----------
    seed : int, default 1397
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    PlanTables
        14 departments, 21 goals (5 macro), 88 indicators with Persian passports, their
        annual targets and every department's reports (``culture`` sent none for 1399).

    Examples
    --------
    >>> plan = qazvin_sample()
    >>> plan.meta["horizon_year"], len(plan.departments)
    (1401, 14)
    """
    rng = np.random.default_rng(seed)
    catalogue = _catalogue()
    n = len(catalogue)
    # Drawn for every indicator, storied or not, so editing one story leaves the others' noise.
    spread = np.exp(rng.normal(0.0, 0.25, n))
    noise = rng.normal(0.0, 1.0, (n, len(_REPORT_YEARS)))

    departments = _typed(
        {name: [row[i] for row in _DEPARTMENTS] for i, name in enumerate(_SCHEMAS["departments"])},
        "departments",
    )
    goals = _typed(
        {name: [row[i] for row in _GOALS] for i, name in enumerate(_SCHEMAS["goals"])}, "goals"
    )

    indicators: dict[str, list[Any]] = {name: [] for name in _SCHEMAS["indicators"]}
    targets: dict[str, list[Any]] = {name: [] for name in _SCHEMAS["targets"]}
    reports: dict[str, list[Any]] = {name: [] for name in _SCHEMAS["reports"]}
    for i, (dept_id, spec) in enumerate(catalogue):
        responsible, source, frequency = _DEPT_PASSPORT[dept_id]
        has_passport = spec.definition is not None
        passport = {
            "level": spec.level,
            "definition": spec.definition,
            "formula": spec.formula,
            "responsible": spec.responsible or responsible,
            "source": spec.source or source,
            "frequency": spec.frequency or frequency,
        }
        row = {
            "indicator_id": spec.indicator_id,
            "dept_id": dept_id,
            "goal_id": spec.goal_id,
            "name_fa": spec.name_fa,
            "name_en": spec.name_en,
            "unit": spec.unit,
            "direction": spec.direction,
            "baseline_year": _QAZVIN_META["baseline_year"],
            "baseline_value": float(spec.baseline),
            "limit": np.nan if spec.limit is None else float(spec.limit),
            "weight": float(spec.weight),
            "tolerance": float(spec.tolerance),
            **{key: (passport[key] if has_passport else None) for key in _PASSPORT},
        }
        for name, value in row.items():
            indicators[name].append(value)

        plan_targets = _targets_of(spec)
        for year, target in zip(_PLAN_YEARS, plan_targets, strict=False):
            targets["indicator_id"].append(spec.indicator_id)
            targets["year"].append(year)
            targets["target"].append(target)

        values = _values_of(spec, plan_targets, _DEPT_PACE[dept_id] * spread[i], noise[i])
        for year, value in zip(_REPORT_YEARS, values, strict=True):
            if (dept_id, year) in _NO_REPORT:
                continue
            key = (spec.indicator_id, year)
            reports["indicator_id"].append(spec.indicator_id)
            reports["dept_id"].append(dept_id)
            reports["year"].append(year)
            reports["value"].append(np.nan if key in _MISSING else float(value))
            reports["note"].append(_MISSING.get(key, _NOTES.get(key)))
            reports["source"].append(passport["source"])

    reports_frame = _typed(reports, "reports").sort_values(
        ["year", "dept_id"], kind="stable", ignore_index=True
    )
    return PlanTables(
        meta=dict(_QAZVIN_META),
        departments=departments,
        goals=goals,
        indicators=_typed(indicators, "indicators"),
        targets=_typed(targets, "targets"),
        reports=reports_frame,
    )


# ---------------------------------------------------------------------------------------------
# Synthetic plans of any size (benchmarks)
# ---------------------------------------------------------------------------------------------

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_KIND_NAMES = {
    "deputy": ("معاونت", "Deputy"),
    "district": ("منطقه", "District"),
    "organization": ("سازمان", "Organization"),
}
_SYNTHETIC_UNITS = np.array(["%", "count", "days", "m² per capita", "minutes", "billion rials"])
_SYNTHETIC_UNIT_P = [0.4, 0.25, 0.1, 0.1, 0.1, 0.05]
_LEVELS = np.array(["input", "output", "outcome", "impact"])
_MACRO_GOALS = 5
_MICRO_PER_MACRO = 4
_MIN_PLAN_YEARS = 5


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded ``numbers`` as a NumPy string array (vectorised)."""
    return np.strings.add(prefix, np.strings.zfill(numbers.astype("U"), width))


def _persian(numbers: np.ndarray) -> pd.Series:
    """Integers written in Persian digits."""
    return pd.Series(numbers.astype("U"), dtype="str").str.translate(_PERSIAN_DIGITS)


def _check_count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def synthetic_plan(
    departments: int,
    indicators_per_dept: int,
    years: int,
    seed: int = 0,
    *,
    calendar: str = "jalali",
) -> PlanTables:
    """A random but well-formed plan of any size, for benchmarks and scale tests.

    Everything is built with whole-array NumPy/pandas operations, so 100,000 indicators with
    six report years take a few seconds at most.

    Parameters
    ----------
    departments : int
        Number of departments (about a quarter deputies, a third districts, the rest
        organisations). Ids ``D0001``, ``D0002``, …
    indicators_per_dept : int
        Indicators per department. Ids ``D0001_I001``, …
    years : int
        Number of report years, from the first plan year on.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`.
    calendar : {"jalali", "gregorian"}, default "jalali"
        Baseline year 1396 (Jalali) or 2017 (Gregorian). The plan runs from the year after the
        baseline for ``max(years, 5)`` years, so short runs still have a five-year horizon.

    Returns
    -------
    PlanTables
        ``departments × indicators_per_dept`` indicators, one target per plan year each, one
        report row per indicator and report year (about 1 % of values blank with a note).

    Raises
    ------
    ParameterError
        If a count is not a positive integer or the calendar is unknown.
    """
    n_dept = _check_count("departments", departments)
    per_dept = _check_count("indicators_per_dept", indicators_per_dept)
    n_years = _check_count("years", years)
    baselines = {"jalali": 1396, "gregorian": 2017}
    if calendar not in baselines:
        raise ParameterError(f"calendar must be 'jalali' or 'gregorian', got {calendar!r}")
    rng = np.random.default_rng(seed)
    baseline_year = baselines[calendar]
    plan_years = baseline_year + np.arange(1, max(n_years, _MIN_PLAN_YEARS) + 1)
    report_years = plan_years[:n_years]

    # Departments: deputies first, then districts, then organisations, each under a deputy.
    position = np.arange(n_dept)
    n_deputy = max(1, -(-n_dept // 4))
    n_district = round(n_dept / 3) if n_dept > n_deputy else 0
    kind = np.where(
        position < n_deputy,
        "deputy",
        np.where(position < n_deputy + n_district, "district", "organization"),
    )
    dept_ids = _numbered("D", position + 1, max(4, len(str(n_dept))))
    kind_start = np.select(
        [kind == "district", kind == "organization"], [n_deputy, n_deputy + n_district], 0
    )
    ordinal = position + 1 - kind_start  # "District 1" is the first district, not D0004
    kind_fa = pd.Series(kind).map({k: v[0] for k, v in _KIND_NAMES.items()})
    kind_en = pd.Series(kind).map({k: v[1] for k, v in _KIND_NAMES.items()})
    dept_name_fa = kind_fa + " " + _persian(ordinal)
    parent = np.where(kind == "deputy", None, dept_ids[position % n_deputy]).astype(object)
    departments_frame = _typed(
        {
            "dept_id": dept_ids,
            "kind": kind,
            "name_fa": dept_name_fa,
            "name_en": kind_en + " " + pd.Series(ordinal.astype("U")),
            "parent_id": parent,
        },
        "departments",
    )

    # Goals: a fixed 5 × 4 tree.
    macro = np.arange(1, _MACRO_GOALS + 1)
    micro_macro = np.repeat(macro, _MICRO_PER_MACRO)
    micro_no = np.tile(np.arange(1, _MICRO_PER_MACRO + 1), _MACRO_GOALS)
    macro_ids = np.strings.add("G", macro.astype("U"))
    micro_ids = np.strings.add(
        np.strings.add(macro_ids[micro_macro - 1], "_"), micro_no.astype("U")
    )
    goals_frame = _typed(
        {
            "goal_id": np.concatenate([macro_ids, micro_ids]),
            "name_fa": pd.concat(
                [
                    "هدف کلان " + _persian(macro),
                    "هدف خرد " + _persian(micro_macro) + "-" + _persian(micro_no),
                ],
                ignore_index=True,
            ),
            "name_en": np.concatenate(
                [
                    np.strings.add("Macro goal ", macro.astype("U")),
                    np.strings.add(
                        "Micro goal ",
                        np.strings.replace(np.strings.replace(micro_ids, "G", ""), "_", "."),
                    ),
                ]
            ),
            "parent_id": np.concatenate([np.full(_MACRO_GOALS, None), macro_ids[micro_macro - 1]]),
            "dept_id": np.full(_MACRO_GOALS * (_MICRO_PER_MACRO + 1), None),
            "weight": rng.choice([1.0, 1.5, 2.0], _MACRO_GOALS * (_MICRO_PER_MACRO + 1)),
        },
        "goals",
    )

    # Indicators.
    n = n_dept * per_dept
    ind_dept = np.repeat(dept_ids, per_dept)
    ind_no = np.tile(np.arange(1, per_dept + 1), n_dept)
    ind_ids = np.strings.add(
        np.strings.add(ind_dept, "_"), _numbered("I", ind_no, max(3, len(str(per_dept))))
    )
    direction = rng.choice(["increase", "decrease", "maintain"], n, p=[0.65, 0.3, 0.05])
    unit = rng.choice(_SYNTHETIC_UNITS, n, p=_SYNTHETIC_UNIT_P)
    is_pct = unit == "%"
    baseline = np.round(np.where(is_pct, rng.uniform(10, 70, n), rng.lognormal(3.0, 1.2, n)), 2)
    change = rng.uniform(0.1, 0.6, n)
    horizon = np.select(
        [direction == "increase", direction == "decrease"],
        [baseline * (1 + change), baseline * (1 - change / 2)],
        baseline,
    )
    horizon = np.where(is_pct, np.minimum(horizon, 100.0), horizon)
    share = np.arange(1, len(plan_years) + 1) / len(plan_years)
    target = np.round(baseline[:, None] + (horizon - baseline)[:, None] * share[None, :], 2)

    indicators_frame = _typed(
        {
            "indicator_id": ind_ids,
            "dept_id": ind_dept,
            "goal_id": rng.choice(micro_ids, n),
            "name_fa": "شاخص "
            + _persian(ind_no)
            + " "
            + np.repeat(dept_name_fa.to_numpy(), per_dept),
            "name_en": np.strings.add("Indicator ", ind_ids),
            "unit": unit,
            "direction": direction,
            "baseline_year": np.full(n, baseline_year),
            "baseline_value": baseline,
            "limit": np.where(is_pct, 100.0, np.nan),
            "weight": rng.choice([1.0, 1.0, 1.0, 2.0, 3.0], n),
            "tolerance": np.full(n, _DEFAULT_TOLERANCE),
            "level": rng.choice(_LEVELS, n),
            "definition": np.full(n, None),
            "formula": np.full(n, None),
            "responsible": np.full(n, None),
            "source": np.full(n, None),
            "frequency": np.full(n, "سالانه"),
        },
        "indicators",
    )
    targets_frame = _typed(
        {
            "indicator_id": np.repeat(ind_ids, len(plan_years)),
            "year": np.tile(plan_years, n),
            "target": target.ravel(),
        },
        "targets",
    )

    # Reports: each indicator covers its planned change at its own pace, with noise.
    pace = rng.normal(0.8, 0.4, n)
    scale = 0.05 * np.abs(horizon - baseline) + 0.005 * baseline
    noise = rng.normal(0.0, 1.0, (n, n_years))
    planned = target[:, :n_years]
    values = np.where(
        (direction == "maintain")[:, None],
        baseline[:, None] * (1 + 0.03 * noise),
        baseline[:, None] + pace[:, None] * (planned - baseline[:, None]) + scale[:, None] * noise,
    )
    values = np.clip(values, 0.0, np.where(is_pct, 100.0, np.inf)[:, None])
    values = np.round(values, 2)
    values[rng.random((n, n_years)) < 0.01] = np.nan
    # Year-major order: each (year, department) report is one contiguous block.
    flat = values.T.ravel()
    reports_frame = _typed(
        {
            "indicator_id": np.tile(ind_ids, n_years),
            "dept_id": np.tile(ind_dept, n_years),
            "year": np.repeat(report_years, n),
            "value": flat,
            "note": np.where(np.isnan(flat), _NO_DATA, None),
            "source": np.full(n * n_years, None),
        },
        "reports",
    )

    meta = {
        "name_fa": "برنامه آزمایشی",
        "name_en": "Synthetic plan",
        "city_fa": "شهر آزمایشی",
        "city_en": "Synthetic city",
        "baseline_year": int(baseline_year),
        "first_year": int(plan_years[0]),
        "horizon_year": int(plan_years[-1]),
        "calendar": calendar,
    }
    return PlanTables(
        meta=meta,
        departments=departments_frame,
        goals=goals_frame,
        indicators=indicators_frame,
        targets=targets_frame,
        reports=reports_frame,
    )
