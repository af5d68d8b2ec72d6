"""planmon's one vocabulary: every word a reader sees for a status, direction, level, kind,
measure, column or caveat, in Persian and English, and the words accepted on input.

Nothing else in planmon defines a label: report text, charts, tables, the dashboard, the
Excel templates and validation all read them from here (``tests/core/test_vocabulary.py``
fails on a second definition). Each table maps a code to its label in every language of
:data:`planmon.core.locale.LANGS`. The words accepted on input for a kind, direction or
level (:func:`accepted_words`, used by :mod:`planmon.core.schema`) and the column headers
(:data:`COLUMN_LABELS`) are built from the same tables, so every word planmon prints is also
a word it reads.

One term per concept, chosen once:

* a "maintain" indicator is «حفظ وضع موجود» (the older «بدون جهت» is still read);
* the roll-up's ``conformity_pct`` is «انطباق با اهداف سالانه» / "Conformity with annual
  targets", one indicator's ``achievement_pct`` «تحقق هدف سال»;
* the trend's band is a prediction interval, «بازه پیش‌بینی ۹۵٪», never a confidence interval;
* a status has one name, the one on its chip, in sentences too (no «پیشرفت اندک» beside
  «پیشرفت محدود»).
"""

from __future__ import annotations

from typing import Any

from planmon.core.locale import LANGS
from planmon.core.text import name_key

__all__ = [
    "STATUS_LABELS",
    "COLUMN_LABELS",
    "MEASURES",
    "MEASURE_SHORT",
    "SCORE_RANGE",
    "TERMS",
    "DIRECTION_LABELS",
    "KIND_LABELS",
    "KIND_PLURALS",
    "LEVEL_LABELS",
    "FREQUENCY_LABELS",
    "UNIT_LABELS",
    "CAVEATS",
    "WORDS",
    "INPUT_ALIASES",
    "accepted_words",
    "status_label",
    "direction_label",
    "kind_label",
    "level_label",
    "frequency_label",
    "unit_label",
    "caveat_label",
    "column_label",
    "measure_label",
    "measure_short",
    "PACE_LABELS",
    "COMMENTARY_KINDS",
    "ACTION_STATUSES",
    "term",
    "word",
    "CALENDARS",
    "canonical_calendar",
]

Term = dict[str, str]

#: Indicator statuses (the codes of :data:`planmon.measures.progress.STATUSES`), best first.
STATUS_LABELS: dict[str, Term] = {
    "target_achieved": {"fa": "هدف محقق شده", "en": "Target achieved"},
    "substantial_progress": {"fa": "پیشرفت چشمگیر", "en": "Substantial progress"},
    "moderate_progress": {"fa": "پیشرفت متوسط", "en": "Moderate progress"},
    "limited_progress": {"fa": "پیشرفت محدود", "en": "Limited progress"},
    "deterioration": {"fa": "پسرفت", "en": "Deterioration"},
    "not_available": {"fa": "داده ناکافی", "en": "Insufficient data"},
}

#: An indicator's desired direction.
DIRECTION_LABELS: dict[str, Term] = {
    "increase": {"fa": "افزایشی", "en": "increase (higher is better)"},
    "decrease": {"fa": "کاهشی", "en": "decrease (lower is better)"},
    "maintain": {"fa": "حفظ وضع موجود", "en": "maintain (stay within tolerance)"},
}

#: A department's kind.
KIND_LABELS: dict[str, Term] = {
    "deputy": {"fa": "معاونت", "en": "Deputy"},
    "district": {"fa": "منطقه", "en": "District"},
    "organization": {"fa": "سازمان", "en": "Organization"},
}
KIND_PLURALS: dict[str, Term] = {
    "deputy": {"fa": "معاونت‌ها", "en": "Deputies"},
    "district": {"fa": "مناطق", "en": "Districts"},
    "organization": {"fa": "سازمان‌ها", "en": "Organizations"},
}

#: An indicator's level in the results chain.
LEVEL_LABELS: dict[str, Term] = {
    "input": {"fa": "درون‌داد", "en": "input"},
    "output": {"fa": "برون‌داد", "en": "output"},
    "outcome": {"fa": "پیامد", "en": "outcome"},
    "impact": {"fa": "اثر", "en": "impact"},
}

#: How often an indicator is measured (the passport's free-text ``frequency``).
FREQUENCY_LABELS: dict[str, Term] = {
    "annual": {"fa": "سالانه", "en": "annual"},
    "half-yearly": {"fa": "شش‌ماهه", "en": "half-yearly"},
    "quarterly": {"fa": "فصلی", "en": "quarterly"},
    "monthly": {"fa": "ماهانه", "en": "monthly"},
}

#: SDSN trend categories of an indicator's pace (the scores frame's ``pace_status``,
#: :mod:`planmon.measures.pace`).
PACE_LABELS: dict[str, Term] = {
    "achieved": {"fa": "هدف محقق شده", "en": "achieved"},
    "on_track": {"fa": "در مسیر", "en": "on track"},
    "moderately_improving": {"fa": "بهبود متوسط", "en": "moderately improving"},
    "stagnating": {"fa": "درجا زدن", "en": "stagnating"},
    "decreasing": {"fa": "دور شدن از هدف", "en": "decreasing"},
    "not_available": {"fa": "داده ناکافی", "en": "insufficient data"},
}

#: Kinds of analysts' commentary (the ``commentary`` table's ``kind``).
COMMENTARY_KINDS: dict[str, Term] = {
    "analysis": {"fa": "تحلیل", "en": "analysis"},
    "recommendation": {"fa": "توصیه", "en": "recommendation"},
    "caveat": {"fa": "ملاحظه", "en": "caveat"},
}

#: Statuses of an action (the ``actions`` table's ``status``).
ACTION_STATUSES: dict[str, Term] = {
    "planned": {"fa": "برنامه‌ریزی‌شده", "en": "planned"},
    "in progress": {"fa": "در حال اجرا", "en": "in progress"},
    "done": {"fa": "انجام‌شده", "en": "done"},
    "delayed": {"fa": "با تأخیر", "en": "delayed"},
    "cancelled": {"fa": "لغوشده", "en": "cancelled"},
}

#: Words accepted on input besides the code and its labels (which are always accepted).
INPUT_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {"organization": ("organisation",)},
    "direction": {
        "increase": ("افزایش", "مثبت", "increasing"),
        "decrease": ("کاهش", "منفی", "decreasing"),
        "maintain": ("بدون جهت", "ثابت", "حفظ", "تثبیت"),
    },
    "level": {
        "input": ("ورودی", "درونداد"),
        "output": ("خروجی", "برونداد"),
        "impact": ("اثرگذاری",),
    },
    "frequency": {"annual": ("yearly",)},
    "commentary_kind": {
        "analysis": ("تفسیر", "تجزیه و تحلیل"),
        "recommendation": ("پیشنهاد", "توصیه‌ها"),
        "caveat": ("هشدار", "ملاحظات", "note of caution"),
    },
    "action_status": {
        "planned": ("برنامه ریزی شده", "در برنامه", "not started"),
        "in progress": ("in_progress", "ongoing", "در دست اجرا", "درحال اجرا"),
        "done": ("completed", "انجام شده", "تکمیل‌شده", "تکمیل شده"),
        "delayed": ("late", "behind", "تأخیر", "تاخیر", "با تاخیر"),
        "cancelled": ("canceled", "لغو شده", "متوقف"),
    },
}

#: Units as plans write them (English), and their Persian label. A unit not listed is shown
#: as written (a plan written in Persian needs no translation).
UNIT_LABELS: dict[str, Term] = {
    "%": {"fa": "درصد", "en": "%"},
    "count": {"fa": "مورد", "en": "count"},
    "days": {"fa": "روز", "en": "days"},
    "days per year": {"fa": "روز در سال", "en": "days per year"},
    "minutes": {"fa": "دقیقه", "en": "minutes"},
    "hours": {"fa": "ساعت", "en": "hours"},
    "years": {"fa": "سال", "en": "years"},
    "km": {"fa": "کیلومتر", "en": "km"},
    "km/h": {"fa": "کیلومتر بر ساعت", "en": "km/h"},
    "persons": {"fa": "نفر", "en": "persons"},
    "thousand persons": {"fa": "هزار نفر", "en": "thousand persons"},
    "thousand users": {"fa": "هزار کاربر", "en": "thousand users"},
    "thousand passengers per day": {"fa": "هزار مسافر در روز", "en": "thousand passengers per day"},
    "billion rials": {"fa": "میلیارد ریال", "en": "billion rials"},
    "hectares per year": {"fa": "هکتار در سال", "en": "hectares per year"},
    "m² per capita": {"fa": "مترمربع سرانه", "en": "m² per capita"},
    "kg per person per day": {"fa": "کیلوگرم برای هر نفر در روز", "en": "kg per person per day"},
    "hours per employee": {"fa": "ساعت برای هر کارمند", "en": "hours per employee"},
    "trees per year": {"fa": "اصله درخت در سال", "en": "trees per year"},
    "events per year": {"fa": "برنامه در سال", "en": "events per year"},
    "accidents per 10,000 vehicles": {
        "fa": "تصادف در هر ده هزار خودرو",
        "en": "accidents per 10,000 vehicles",
    },
    "deaths per 100,000 residents": {
        "fa": "جان‌باخته در هر صد هزار نفر",
        "en": "deaths per 100,000 residents",
    },
    "staff per 1,000 residents": {"fa": "کارمند در هر هزار نفر", "en": "staff per 1,000 residents"},
}

#: Machine-readable codes of the validation findings that travel with the numbers (the
#: ``caveats`` column of the scores frame, ``;``-separated), with their labels.
CAVEATS: dict[str, Term] = {
    "targets_against_direction": {
        "fa": "هدف‌ها خلاف جهت مطلوب شاخص",
        "en": "targets move against the indicator's direction",
    },
    "maintain_targets_trend": {
        "fa": "شاخص «حفظ وضع موجود» با هدف‌های یک‌سویه",
        "en": "a maintain indicator whose targets all move one way",
    },
    "outside_0_100": {"fa": "درصد خارج از بازه ۰ تا ۱۰۰", "en": "percentage outside 0–100"},
    "jump": {"fa": "جهش بیش از ده برابر", "en": "value more than ten times off"},
    "no_targets": {"fa": "بدون هدف", "en": "no targets"},
    "data_gap": {"fa": "بدون داده در گزارش", "en": "missing from the department's report"},
}

#: The data contract's columns as a reader sees them (table headers, passport fields). The
#: reader of plan files accepts each as a header too (:data:`planmon.core.schema.COLUMN_ALIASES`).
COLUMN_LABELS: dict[str, Term] = {
    "unit": {"fa": "واحد سنجش", "en": "Unit"},
    "direction": {"fa": "جهت مطلوب", "en": "Desired direction"},
    "baseline_year": {"fa": "سال پایه", "en": "Baseline year"},
    "baseline_value": {"fa": "مقدار پایه", "en": "Baseline"},
    "level": {"fa": "سطح", "en": "Level"},
    "definition": {"fa": "تعریف", "en": "Definition"},
    "formula": {"fa": "فرمول محاسبه", "en": "Formula"},
    "responsible": {"fa": "واحد مسئول", "en": "Responsible unit"},
    "source": {"fa": "منبع", "en": "Source"},
    "frequency": {"fa": "تناوب اندازه‌گیری", "en": "Frequency"},
    "note": {"fa": "توضیح", "en": "Note"},
}

#: The measures a reader sees, by their column in the scores and roll-up frames: the full
#: name (key figures, sentences) and the short one (table headers, chart axes). One term per
#: measure: conformity_pct is «انطباق با اهداف سالانه» everywhere (never «تحقق هدف‌های سال»,
#: which would read as one indicator's achievement_pct).
MEASURES: dict[str, Term] = {
    "conformity_pct": {"fa": "انطباق با اهداف سالانه", "en": "Conformity with annual targets"},
    "achievement_pct": {"fa": "تحقق هدف سال", "en": "Achievement of the year's target"},
    "distance_covered_pct": {
        "fa": "مسیر طی‌شده تا هدف افق",
        "en": "Distance covered to the horizon target",
    },
    "progress_score": {"fa": "امتیاز پیشرفت", "en": "Progress score"},
    "coverage_pct": {"fa": "شاخص‌های دارای مقدار", "en": "Indicators with a value"},
}
MEASURE_SHORT: dict[str, Term] = {
    "conformity_pct": {"fa": "انطباق", "en": "Conformity"},
    "achievement_pct": {"fa": "تحقق هدف سال", "en": "Achievement"},
    "distance_covered_pct": {"fa": "مسیر طی‌شده", "en": "Distance covered"},
    "progress_score": {"fa": "امتیاز", "en": "Score"},
    "coverage_pct": {"fa": "پوشش", "en": "Coverage"},
}

#: The scale of the progress score (Open SDG, −5 … 5), printed with the locale's digits.
SCORE_RANGE = (-5, 5)

#: Words for the state of the data, shared by the reports, the publication and the dashboard.
TERMS: dict[str, Term] = {
    "provisional": {"fa": "موقت", "en": "provisional"},
    "report_not_received": {"fa": "گزارش دریافت نشده", "en": "report not received"},
    "data_caveats": {"fa": "ملاحظات داده‌ها", "en": "Data caveats"},
    "prediction_interval": {"fa": "بازه پیش‌بینی ۹۵٪", "en": "95% prediction interval"},
}

#: Headings, table headers, chart words and sentence templates of the reports. A template's
#: ``{name}`` fields are filled by :func:`word`.
WORDS: dict[str, Term] = {
    # commentary, actions and the executive briefing (issue 11)
    "commentary": {"fa": "تحلیل کارشناسی", "en": "Analysts' commentary"},
    "no_text_in_lang": {
        "fa": "برای این {kind} متن فارسی نوشته نشده است.",
        "en": "No English text was written for this {kind}.",
    },
    "dept_note": {"fa": "توضیح {name}", "en": "Note from {name}"},
    "actions": {"fa": "اقدامات", "en": "Actions"},
    "action_line": {
        "fa": "{title} ({owner}؛ {start} تا {due}؛ پیشرفت {progress}؛ {status})",
        "en": "{title} ({owner}; {start} to {due}; {progress} done; {status})",
    },
    "action_overdue": {"fa": "سررسید گذشته", "en": "overdue"},
    "no_action": {
        "fa": "برای این شاخص عقب‌مانده هیچ اقدامی ثبت نشده است.",
        "en": "No action is recorded for this lagging indicator.",
    },
    "briefing": {"fa": "گزارش مدیریتی", "en": "Executive briefing"},
    "briefing_off_track": {
        "fa": "شاخص‌های عقب‌مانده و رو به پسرفت",
        "en": "Indicators off track or going backwards",
    },
    "briefing_changes": {"fa": "تغییرات نسبت به سال قبل", "en": "What changed since last year"},
    "briefing_missing": {"fa": "گزارش‌های دریافت‌نشده", "en": "Reports not received"},
    "briefing_caveats": {"fa": "ملاحظات داده", "en": "Data caveats"},
    "chance": {"fa": "احتمال رسیدن به هدف افق", "en": "Chance of reaching the horizon target"},
    "status_changed": {
        "fa": "{name}: از «{old}» به «{new}»",
        "en": "{name}: from “{old}” to “{new}”",
    },
    "correction": {
        "fa": "اصلاح مقدار {name} در سال {year}: {old} ← {new}",
        "en": "{name} corrected for {year}: {old} → {new}",
    },
    "no_changes": {"fa": "تغییری ثبت نشده است.", "en": "No change recorded."},
    "all_reported": {"fa": "همه واحدها گزارش داده‌اند.", "en": "Every department reported."},
    "driver": {
        "fa": "بیشترین کمبود وزنی {dept} در شاخص «{name}» است.",
        "en": "{dept}'s largest weighted shortfall is in “{name}”.",
    },
    "explanation": {"fa": "توضیح واحد: «{note}»", "en": "The department's explanation: “{note}”"},
    "nav_label": {"fa": "پیوندها", "en": "Links"},
    "nav_index": {"fa": "فهرست گزارش‌ها", "en": "All reports"},
    "nav_dashboard": {"fa": "داشبورد", "en": "Dashboard"},
    "nav_other_lang": {"fa": "English", "en": "فارسی"},
    "and_more": {"fa": "و {n} شاخص دیگر.", "en": "and {n} more."},
    "caveat_count": {"fa": "{label}: {n} مورد", "en": "{label}: {n}"},
    "report_of": {"fa": "گزارش پایش سال {year}", "en": "Monitoring report for {year}"},
    "issued_by": {"fa": "صادرکننده: {issuer}", "en": "Issued by {issuer}"},
    "issue_date": {"fa": "تاریخ انتشار: {date}", "en": "Date of issue: {date}"},
    "provisional_banner": {
        "fa": "موقت: پوشش داده‌های برنامه در این سال کامل نیست",
        "en": "Provisional: the plan's data for this year are incomplete",
    },
    "overview_title": {"fa": "نمای کلی برنامه در سال {year}", "en": "Plan overview, {year}"},
    "district_title": {"fa": "مقایسه مناطق در سال {year}", "en": "Districts compared, {year}"},
    "explore_title": {"fa": "کاوش داده‌های برنامه", "en": "Exploring the plan's data"},
    "kind": {"fa": "نوع واحد", "en": "Unit type"},
    "horizon": {"fa": "افق برنامه", "en": "Plan horizon"},
    "headline": {"fa": "خلاصه عملکرد", "en": "Summary"},
    "scale": {"fa": "{name} ({low} تا {high})", "en": "{name} ({low} to {high})"},
    "range": {"fa": "{low} تا {high}", "en": "{low} to {high}"},
    "coverage_value": {"fa": "{k} از {n}", "en": "{k} of {n}"},
    "change_points": {
        "fa": "{arrow} {value} واحد درصد نسبت به {year}",
        "en": "{arrow} {value} percentage points on {year}",
    },
    "change_score": {
        "fa": "{arrow} {value} امتیاز نسبت به {year}",
        "en": "{arrow} {value} points on {year}",
    },
    "same_as": {"fa": "بدون تغییر نسبت به {year}", "en": "no change on {year}"},
    "no_previous": {"fa": "سال قبلی برای مقایسه نیست", "en": "no earlier year to compare"},
    "statuses": {"fa": "وضعیت شاخص‌ها", "en": "Indicator status"},
    "status_count": {"fa": "{n} مورد {status}", "en": "{n} {status}"},
    "status_counts": {
        "fa": "وضعیت {n} شاخص این واحد: {items}.",
        "en": "Of its {n} indicators: {items}.",
    },
    "score_sentence": {
        "fa": "میانگین امتیاز پیشرفت شاخص‌ها (در مقیاس {low} تا {high}) {score} بود",
        "en": "The mean progress score of its indicators (on a scale of {low} to {high}) was {score}",
    },
    "plan_score_sentence": {
        "fa": "میانگین امتیاز پیشرفت شاخص‌های برنامه (در مقیاس {low} تا {high}) {score} بود",
        "en": (
            "The mean progress score of the plan's indicators (on a scale of {low} to {high}) "
            "was {score}"
        ),
    },
    "percent_axis": {"fa": "درصد {name}", "en": "{name} (%)"},
    "summary_plan": {"fa": "برنامه", "en": "Plan"},
    "summary_years": {"fa": "سال‌های برنامه", "en": "Plan years"},
    "summary_years_value": {
        "fa": "{first} تا {horizon} (سال پایه {baseline})",
        "en": "{first}–{horizon} (baseline {baseline})",
    },
    "summary_departments": {"fa": "واحدها", "en": "Units"},
    "summary_goals": {"fa": "اهداف", "en": "Goals"},
    "summary_indicators": {"fa": "شاخص‌ها", "en": "Indicators"},
    "summary_report_years": {"fa": "سال‌های گزارش", "en": "Report years"},
    "summary_reports": {"fa": "گزارش‌های دریافت‌شده", "en": "Reports received"},
    "summary_warnings": {"fa": "هشدارها", "en": "Warnings"},
    "list_separator": {"fa": "، ", "en": ", "},
    "score_up": {
        "fa": "؛ یعنی {value} امتیاز بیشتر از سال {year}",
        "en": ", {value} points higher than in {year}",
    },
    "score_down": {
        "fa": "؛ یعنی {value} امتیاز کمتر از سال {year}",
        "en": ", {value} points lower than in {year}",
    },
    "score_same": {"fa": "؛ تقریباً همان رقم سال {year}", "en": ", about the same as in {year}"},
    "no_indicators": {
        "fa": "برای «{name}» در برنامه شاخصی تعریف نشده است.",
        "en": "The plan defines no indicators for {name}.",
    },
    "indicator_table": {"fa": "جدول شاخص‌ها", "en": "Indicators"},
    "indicator": {"fa": "شاخص", "en": "Indicator"},
    "target_year": {"fa": "هدف {year}", "en": "Target {year}"},
    "value_year": {"fa": "مقدار {year}", "en": "Actual {year}"},
    "horizon_target": {"fa": "هدف افق", "en": "Horizon target"},
    "status": {"fa": "وضعیت", "en": "Status"},
    "comparison": {
        "fa": "تحقق هدف سال {year} در همه شاخص‌ها",
        "en": "Achievement of the {year} targets, all indicators",
    },
    "comparison_note": {
        "fa": "طول هر میله درصد تحقق هدف سال است؛ خط‌چین، تحقق کامل (۱۰۰٪).",
        "en": "Each bar is the share of the year's target achieved; the dashed line is 100 %.",
    },
    "distance_title": {
        "fa": "فاصله تا هدف افق ({year})",
        "en": "Distance to the horizon target ({year})",
    },
    "distance_note": {
        "fa": "هر میله نشان می‌دهد چه سهمی از فاصله مقدار پایه تا هدف افق طی شده است؛ خط عمودی سیاه، سهم زمان سپری‌شده از برنامه است.",
        "en": "Each bar is the share of the way from the baseline to the horizon target covered so far; the black tick is the share of plan time elapsed.",
    },
    "details": {"fa": "شاخص به شاخص", "en": "Indicator by indicator"},
    "notes": {
        "fa": "توضیحات ارسال‌شده با گزارش سال {year}",
        "en": "Notes sent with the {year} report",
    },
    "no_notes": {
        "fa": "همراه گزارش این سال توضیحی ارسال نشده است.",
        "en": "No notes came with this year's report.",
    },
    "gaps": {"fa": "کمبودهای داده", "en": "Data gaps"},
    "no_gaps": {"fa": "در سال {year} کمبود داده‌ای دیده نشد.", "en": "No data gaps in {year}."},
    "gap_no_report": {
        "fa": "گزارش سال {year} این واحد دریافت نشده است.",
        "en": "No report was received from this unit for {year}.",
    },
    "gap_blank_value": {
        "fa": "«{name}»: خانه مقدار در گزارش سال {year} خالی است",
        "en": "{name}: the value was left blank in the {year} report",
    },
    "gap_not_reported": {
        "fa": "«{name}»: در گزارش سال {year} نیامده است.",
        "en": "{name}: missing from the {year} report.",
    },
    "gap_no_targets": {
        "fa": "«{name}»: در برنامه هیچ هدف کمی ندارد.",
        "en": "{name}: the plan sets no targets.",
    },
    "gap_no_target_year": {
        "fa": "«{name}»: برای سال {year} هدف کمی تعیین نشده است.",
        "en": "{name}: no target is set for {year}.",
    },
    "gap_reason": {"fa": "؛ توضیح واحد: {note}.", "en": "; the unit's note: {note}."},
    "appendix": {"fa": "پیوست: شناسنامه شاخص‌ها", "en": "Appendix: indicator passports"},
    "no_passports": {
        "fa": "برای شاخص‌های این واحد شناسنامه‌ای در برنامه ثبت نشده است.",
        "en": "The plan holds no passports for this unit's indicators.",
    },
    "passport_id": {"fa": "شناسه", "en": "Id"},
    "plan_headline": {"fa": "خلاصه برنامه", "en": "Plan summary"},
    "plan_sentence": {
        "fa": "در سال {year}، میانگین وزنی انطباق کل برنامه با اهداف سالانه {conf} بود{change}. از {n} شاخص برنامه، {k} شاخص مقدار گزارش‌شده داشتند.",
        "en": "In {year} the plan's weighted conformity with its annual targets was {conf}{change}. Of its {n} indicators, {k} had a reported value.",
    },
    "plan_change_up": {
        "fa": "؛ یعنی {value} واحد درصد بیشتر از سال {prev}",
        "en": ", {value} percentage points higher than in {prev}",
    },
    "plan_change_down": {
        "fa": "؛ یعنی {value} واحد درصد کمتر از سال {prev}",
        "en": ", {value} percentage points lower than in {prev}",
    },
    "plan_change_same": {
        "fa": "؛ تقریباً همان رقم سال {prev}",
        "en": ", about the same as in {prev}",
    },
    "ranking": {
        "fa": "رتبه‌بندی واحدها بر پایه میانگین امتیاز پیشرفت",
        "en": "Units ranked by mean progress score",
    },
    "ranking_note": {
        "fa": "{name} از {low} ({worst}) تا {high} ({best}) است؛ صفر یعنی درجا زدن.",
        "en": "The {name} runs from {low} ({worst}) to {high} ({best}); 0 is standing still.",
    },
    "heatmap": {
        "fa": "میانگین امتیاز پیشرفت به تفکیک واحد و هدف کلان",
        "en": "Mean progress score by unit and macro goal",
    },
    "heatmap_note": {
        "fa": "هر خانه میانگین امتیاز شاخص‌های یک واحد در یک هدف کلان است؛ خانه خالی یعنی شاخصی نیست.",
        "en": "Each cell is the mean score of a unit's indicators under one macro goal; blank cells have none.",
    },
    "goals": {"fa": "عملکرد اهداف کلان و خرد", "en": "Macro and micro goals"},
    "goal": {"fa": "هدف", "en": "Goal"},
    "n_indicators": {"fa": "تعداد شاخص", "en": "Number of indicators"},
    "change": {"fa": "تغییر نسبت به {year}", "en": "Change on {year}"},
    "changes": {"fa": "تغییر نسبت به سال {year}", "en": "Change against {year}"},
    "no_change_year": {
        "fa": "سال {year} نخستین سال گزارش است و سال قبلی برای مقایسه وجود ندارد.",
        "en": "{year} is the first report year; there is no earlier year to compare.",
    },
    "department": {"fa": "واحد", "en": "Unit"},
    "measure_in": {"fa": "{name} {year}", "en": "{name} {year}"},
    "score_change": {"fa": "تغییر امتیاز", "en": "Score change"},
    "districts_chart": {
        "fa": "تحقق هدف سال {year} در مناطق",
        "en": "Achievement of the {year} targets by district",
    },
    "districts_note": {
        "fa": "هر گروه میله یک شاخص مشترک میان مناطق است و هر میله یک منطقه؛ خط‌چین، تحقق کامل هدف سال (۱۰۰٪).",
        "en": "Each group is one indicator the districts share, each bar one district; the dashed line is 100 % of the year's target.",
    },
    "districts_table": {
        "fa": "مقدار شاخص‌های مشترک در مناطق",
        "en": "Shared indicators by district",
    },
    "no_districts": {
        "fa": "در این برنامه دست‌کم دو منطقه با شاخص مشترک وجود ندارد.",
        "en": "The plan has no two districts with a shared indicator.",
    },
    "of_target": {"fa": "{pct} هدف", "en": "{pct} of target"},
    "warnings": {"fa": "هشدارهای بارگذاری برنامه", "en": "Warnings from loading the plan"},
    "no_warnings": {
        "fa": "هنگام بارگذاری برنامه هشداری ثبت نشد.",
        "en": "Loading the plan raised no warnings.",
    },
    "file": {"fa": "پرونده", "en": "File"},
    "row": {"fa": "ردیف", "en": "Row"},
    "column": {"fa": "ستون", "en": "Column"},
    "message": {"fa": "پیام", "en": "Message"},
    "actual": {"fa": "مقدار واقعی", "en": "Actual"},
    "targets": {"fa": "هدف سالانه", "en": "Annual target"},
    "trend": {"fa": "روند خطی", "en": "Linear trend"},
    "full_achievement": {"fa": "تحقق کامل (۱۰۰٪)", "en": "Target met (100%)"},
    "above_cap": {"fa": "بیش از {cap}", "en": "above {cap}"},
    "expected": {"fa": "سهم مورد انتظار تا امسال", "en": "Share of plan time elapsed"},
    "mean_of": {"fa": "میانگین {value}", "en": "Mean {value}"},
    "mean_score": {"fa": "میانگین امتیاز", "en": "Mean score"},
    "year_axis": {"fa": "سال", "en": "Year"},
    "no_data": {"fa": "داده‌ای برای نمایش نیست", "en": "No data to show"},
    # --- coverage, provisional years, reports not received, caveats (issue 9) ---
    "provisional_banner": {
        "fa": "ارقام سال {year} موقت است: {k} از {n} واحد گزارش داده‌اند و پوشش {coverage} از وزن برنامه است. تغییرها نسبت به سال قبل پیشرفت یا پسرفت شمرده نمی‌شوند.",
        "en": "The {year} figures are provisional: {k} of {n} units reported, covering {coverage} of the plan weight. Changes against the previous year are not counted as gains or losses.",
    },
    "coverage_banner": {
        "fa": "پوشش داده‌ها در سال {year}: {k} از {n} واحد گزارش داده‌اند ({coverage} از وزن برنامه).",
        "en": "Coverage in {year}: {k} of {n} units reported ({coverage} of the plan weight).",
    },
    "not_reported_units": {
        "fa": "واحدهایی که گزارش سال {year} آنها دریافت نشده است: {names}.",
        "en": "Units whose {year} report was not received: {names}.",
    },
    "not_ranked_units": {
        "fa": "واحدهایی که گزارش سال {year} آنها دریافت نشده است رتبه‌ای ندارند ({n} واحد؛ فهرست در آغاز این گزارش).",
        "en": "Units whose {year} report was not received have no rank ({n}; listed at the top of this report).",
    },
    "plan_change_provisional": {
        "fa": "؛ به دلیل موقت بودن ارقام، تغییر نسبت به سال {prev} پیشرفت یا پسرفت شمرده نمی‌شود",
        "en": "; the figures are provisional, so the change on {prev} is not counted as a gain or a loss",
    },
    "change_provisional": {
        "fa": "ارقام موقت؛ مقایسه با {prev} ممکن نیست",
        "en": "provisional; not comparable with {prev}",
    },
    "changes_provisional": {
        "fa": "ارقام سال {year} یا {prev} موقت است؛ تغییرها تا کامل شدن گزارش‌ها پیشرفت یا پسرفت شمرده نمی‌شوند.",
        "en": "The {year} or {prev} figures are provisional; changes are not counted as gains or losses until the reports are complete.",
    },
    "not_received_sentence": {
        "fa": "گزارش سال {year} واحد «{name}» دریافت نشد. ارقام این واحد در این سال محاسبه نشده و رتبه‌ای به آن داده نشده است.",
        "en": "The {year} report of {name} was not received. Its figures for the year are not computed and it has no rank.",
    },
    "not_received_last": {
        "fa": "آخرین گزارش دریافت‌شده از این واحد مربوط به سال {last} است.",
        "en": "The last report received from this unit is for {last}.",
    },
    "not_received_never": {
        "fa": "تاکنون گزارشی از این واحد دریافت نشده است.",
        "en": "No report has been received from this unit yet.",
    },
    "not_received_expected": {
        "fa": "شاخص‌هایی که این واحد باید برای سال {year} گزارش کند",
        "en": "Indicators this unit is expected to report for {year}",
    },
    "not_received_action": {
        "fa": "برای تکمیل ارقام برنامه، گزارش این واحد را با قالب سال {year} دریافت کنید و گزارش‌ها را دوباره بسازید.",
        "en": "To complete the plan's figures, collect this unit's report on the {year} template and rebuild the reports.",
    },
    "last_value": {"fa": "آخرین مقدار گزارش‌شده (سال)", "en": "Last value reported (year)"},
    "caveat_code": {"fa": "ملاحظه", "en": "Caveat"},
    "caveat_where": {"fa": "شاخص و سال", "en": "Indicator and year"},
    "every_year": {"fa": "همه سال‌ها", "en": "every year"},
    "no_caveats": {
        "fa": "برای شاخص‌های این واحد ملاحظه‌ای از اعتبارسنجی داده‌ها ثبت نشده است.",
        "en": "Validation raised no caveats on this unit's indicators.",
    },
    "caveats_note": {
        "fa": "این ملاحظات از اعتبارسنجی برنامه و گزارش‌ها آمده است؛ شاخص دارای ملاحظه در جدول‌ها با ⚠ نشان داده شده است.",
        "en": "These findings come from validating the plan and the reports; indicators with a caveat are marked ⚠ in the tables.",
    },
    "completeness_line": {
        "fa": "{year}: {k} از {n} واحد گزارش داده‌اند، {coverage} از وزن برنامه",
        "en": "{year}: {k} of {n} departments reported, {coverage} of the plan weight",
    },
}

_CONCEPTS: dict[str, dict[str, Term]] = {
    "kind": KIND_LABELS,
    "direction": DIRECTION_LABELS,
    "level": LEVEL_LABELS,
    "frequency": FREQUENCY_LABELS,
    "commentary_kind": COMMENTARY_KINDS,
    "action_status": ACTION_STATUSES,
}


def accepted_words(concept: str) -> dict[str, tuple[str, ...]]:
    """The words read as each code of ``concept`` ("kind", "direction", "level", "frequency",
    "commentary_kind", "action_status").

    The printed labels come first (Persian, then English), then the other accepted spellings
    of :data:`INPUT_ALIASES`; the code itself is accepted too (by the reader, not listed here).
    """
    extra = INPUT_ALIASES.get(concept, {})
    out: dict[str, tuple[str, ...]] = {}
    for code, labels in _CONCEPTS[concept].items():
        words = [labels[lang] for lang in LANGS] + list(extra.get(code, ()))
        out[code] = tuple(dict.fromkeys(w for w in words if w != code))
    return out


def _label(table: dict[str, Term], code: Any, lang: str) -> str:
    """The label of ``code``, or of the code one of whose labels ``code`` is; else as written."""
    text = "" if code is None else str(code)
    if text in table:
        return table[text][lang]
    key = name_key(text)
    for labels in table.values():
        if key and key in {name_key(label) for label in labels.values()}:
            return labels[lang]
    return text


def status_label(code: str, lang: str) -> str:
    """The reader's name of a status (``"not_available"`` for an unknown code)."""
    return STATUS_LABELS.get(code, STATUS_LABELS["not_available"])[lang]


def direction_label(code: Any, lang: str) -> str:
    """The reader's name of a direction ("" for an unknown one)."""
    text = "" if code is None else str(code)
    return DIRECTION_LABELS[text][lang] if text in DIRECTION_LABELS else ""


def kind_label(code: Any, lang: str) -> str:
    """The reader's name of a department kind (the text itself when unknown)."""
    return _label(KIND_LABELS, code, lang)


def level_label(code: Any, lang: str) -> str:
    """The reader's name of an indicator level (the text itself when unknown)."""
    return _label(LEVEL_LABELS, code, lang)


def frequency_label(text: Any, lang: str) -> str:
    """The reader's name of a measurement frequency written in either language."""
    key = name_key(text)
    for code, labels in FREQUENCY_LABELS.items():
        words = (code, *labels.values(), *INPUT_ALIASES["frequency"].get(code, ()))
        if key in {name_key(w) for w in words}:
            return labels[lang]
    return "" if text is None else str(text)


def unit_label(unit: Any, lang: str) -> str:
    """The unit as a reader of ``lang`` expects it, written in either language (see
    :data:`UNIT_LABELS`); a unit not listed is shown as written."""
    text = "" if unit is None or (isinstance(unit, float) and unit != unit) else str(unit)
    for labels in UNIT_LABELS.values():
        if text in labels.values():
            return labels[lang]
    return text


def caveat_label(code: str, lang: str) -> str:
    """The reader's label of a caveat code (the code itself when it is unknown)."""
    return CAVEATS.get(code, {}).get(lang, code)


def column_label(column: str, lang: str) -> str:
    """A data-contract column as a table header or passport field (see :data:`COLUMN_LABELS`)."""
    return COLUMN_LABELS[column][lang]


def measure_label(code: str, lang: str) -> str:
    """The full name of a measure (``conformity_pct``, ``progress_score``, ...)."""
    return MEASURES[code][lang]


def measure_short(code: str, lang: str) -> str:
    """The short name of a measure, for table headers and chart axes."""
    return MEASURE_SHORT[code][lang]


def term(key: str, lang: str) -> str:
    """A word for the state of the data (see :data:`TERMS`): ``provisional``, ..."""
    return TERMS[key][lang]


def word(key: str, lang: str, **values: Any) -> str:
    """The report word ``key`` of :data:`WORDS` in ``lang``, its ``{fields}`` filled in."""
    text = WORDS[key][lang]
    return text.format(**values) if values else text


#: The plan's calendar (the ``calendar`` plan setting) and the words accepted for it.
CALENDARS: dict[str, dict[str, object]] = {
    "jalali": {
        "fa": "هجری شمسی",
        "en": "Jalali (solar Hijri)",
        "accepted": ("شمسی", "هجری شمسی", "خورشیدی", "جلالی", "solar hijri", "persian"),
    },
    "gregorian": {
        "fa": "میلادی",
        "en": "Gregorian",
        "accepted": ("میلادی", "گریگوری", "gregorian calendar"),
    },
}


def canonical_calendar(word: object) -> str | None:
    """``jalali`` or ``gregorian`` for a calendar word (English or Persian), else None.

    Examples
    --------
    >>> canonical_calendar("هجری شمسی"), canonical_calendar("Gregorian"), canonical_calendar("lunar")
    ('jalali', 'gregorian', None)
    """
    key = name_key(word)
    for canonical, entry in CALENDARS.items():
        if key and key in {name_key(w) for w in (canonical, *entry["accepted"])}:
            return canonical
    return None
