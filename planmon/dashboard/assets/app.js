/* planmon management dashboard.
 *
 * Lays out the figures planmon computed (embedded in index.html as JSON): tiles, a sortable
 * department table, a department x goal heat map, filters, and the drill-down from a department
 * to its indicators and from an indicator to its chart. No framework and no build step.
 *
 * Safety: every piece of text from the data is set with textContent or setAttribute, never
 * innerHTML, so a name in the plan can never become markup.
 * State (language, filters, sort, drill-down) lives in the URL fragment, so the browser's Back
 * button after following a report link returns to the same view, and a view can be bookmarked.
 */
(function () {
  'use strict';

  var D;
  try {
    D = JSON.parse(document.getElementById('data').textContent);
  } catch (err) {
    document.body.textContent = 'planmon dashboard: the embedded data cannot be read (' + err + ').';
    return;
  }
  if (D.schema !== 1) {
    document.body.textContent = 'planmon dashboard: unknown data version ' + D.schema + '.';
    return;
  }

  // ------------------------------------------------------------------------------ words
  var TEXT = {
    fa: {
      dashboard: 'داشبورد مدیریتی پایش برنامه',
      subtitle: 'وضعیت سال {year} · سال پایه {base} · افق برنامه {horizon}',
      switch_to: 'English',
      switch_lang: 'en',
      year: 'سال',
      kind: 'نوع واحد',
      department: 'واحد',
      all: 'همه',
      reset: 'حذف فیلترها',
      tile_score: 'امتیاز کل برنامه',
      tile_score_note: 'میانگین وزنی امتیاز پیشرفت، از {lo} تا {hi}',
      tile_conformity_note: 'میانگین وزنی درصد تحقق هدف سالانه شاخص‌ها',
      tile_distance_note: 'سهم فاصله سال پایه تا هدف افق که طی شده',
      tile_coverage: 'پوشش گزارش‌ها',
      tile_coverage_note: '{n} از {m} واحد گزارش داده‌اند',
      change_since: 'نسبت به {year}: {change}',
      no_previous: 'سال قبلی برای مقایسه نیست',
      counts_title: 'شاخص‌ها بر حسب وضعیت',
      counts_plan: 'همه {n} شاخص برنامه در سال {year}',
      counts_selection: '{n} شاخص در واحدهای انتخاب‌شده، سال {year}',
      departments_title: 'عملکرد واحدها',
      table_hint: 'برای مرتب‌سازی روی عنوان ستون و برای دیدن شاخص‌ها روی نام واحد بزنید.',
      col_dept: 'واحد',
      col_kind: 'نوع',
      col_indicators: 'شاخص‌ها',
      col_change: 'تغییر امتیاز',
      col_status: 'وضعیت',
      col_reports: 'گزارش',
      tip_conformity: 'میانگین وزنی درصد تحقق هدف سالانه (هر شاخص حداکثر ۱۰۰٪)',
      tip_distance: 'میانگین وزنی سهم مسیر سال پایه تا هدف افق که طی شده',
      tip_score: 'امتیاز پیشرفت (روش Open SDG)، از {lo} (پسرفت) تا {hi} (در مسیر هدف)',
      tip_change: 'تغییر امتیاز نسبت به گزارش سال قبل',
      conformity_change: 'تغییر انطباق: {change} واحد درصد',
      no_report: 'بدون گزارش {year}',
      no_match: 'هیچ واحدی با این فیلترها پیدا نشد.',
      report_html: 'وب',
      report_pdf: 'PDF',
      report_title: 'گزارش تحلیلی {dept}، سال {year} ({ext})',
      close: 'بستن ✕',
      detail_summary: '{n} شاخص · انطباق {conformity} · مسیر طی‌شده {distance} · امتیاز {score}',
      goal_filter: 'فقط شاخص‌های هدف کلان «{goal}»',
      show_all: 'نمایش همه شاخص‌ها',
      ind_hint: 'برای دیدن نمودار روی نام شاخص بزنید.',
      col_indicator: 'شاخص',
      col_unit: 'واحد اندازه‌گیری',
      col_baseline: 'پایه ({year})',
      col_value: 'مقدار {year}',
      col_target: 'هدف {year}',
      heat_title: 'واحدها × اهداف کلان',
      heat_hint: 'هر خانه امتیاز پیشرفت شاخص‌های یک واحد در یک هدف کلان است؛ خالی یعنی شاخصی ندارد. برای دیدن شاخص‌ها روی خانه بزنید.',
      heat_cell: '{dept} — {goal}: امتیاز {score}، انطباق {conformity}، {n} شاخص',
      band_top: 'همه اهداف محقق',
      status: 'وضعیت',
      horizon_target: 'هدف افق',
      trend_at: 'روند در {year}',
      slope: 'شیب روند',
      per_year: 'در سال',
      p_reach: 'احتمال رسیدن به هدف افق',
      chart_failed: 'کتابخانه نمودار بارگذاری نشد؛ اعداد در جدول زیر آمده‌اند.',
      series_year: 'سال',
      series_actual: 'مقدار واقعی',
      series_target: 'هدف',
      legend_baseline: 'سال پایه',
      legend_actual: 'مقدار واقعی',
      legend_targets: 'هدف سالانه',
      legend_horizon: 'هدف افق',
      legend_trend: 'روند (برون‌یابی)',
      footer: 'ساخته‌شده با planmon از داده‌های برنامه (شناسه {fp}). امتیاز پیشرفت به روش Open SDG محاسبه شده است.',
      dash: '—'
    },
    en: {
      dashboard: 'Plan monitoring dashboard',
      subtitle: 'Status in {year} · baseline {base} · plan horizon {horizon}',
      switch_to: 'فارسی',
      switch_lang: 'fa',
      year: 'Year',
      kind: 'Kind of department',
      department: 'Department',
      all: 'All',
      reset: 'Clear filters',
      tile_score: 'Plan overall score',
      tile_score_note: 'weighted mean progress score, {lo} to {hi}',
      tile_conformity_note: "weighted mean achievement of the indicators' annual targets",
      tile_distance_note: 'share of the baseline-to-horizon-target distance covered',
      tile_coverage: 'Reports received',
      tile_coverage_note: '{n} of {m} departments reported',
      change_since: 'vs {year}: {change}',
      no_previous: 'no earlier year to compare',
      counts_title: 'Indicators by status',
      counts_plan: 'all {n} indicators of the plan in {year}',
      counts_selection: '{n} indicators of the selected departments in {year}',
      departments_title: 'Departments',
      table_hint: "Click a column heading to sort, a department's name to see its indicators.",
      col_dept: 'Department',
      col_kind: 'Kind',
      col_indicators: 'Indicators',
      col_change: 'Score change',
      col_status: 'Status',
      col_reports: 'Report',
      tip_conformity: 'weighted mean achievement of the annual targets (each indicator capped at 100%)',
      tip_distance: 'weighted mean share of the baseline-to-horizon distance covered',
      tip_score: 'progress score (Open SDG method), from {lo} (deterioration) to {hi} (on track)',
      tip_change: "change of the score since the previous year's report",
      conformity_change: 'change in conformity: {change} percentage points',
      no_report: 'no report for {year}',
      no_match: 'No department matches these filters.',
      report_html: 'Web',
      report_pdf: 'PDF',
      report_title: 'Analytic report of {dept}, {year} ({ext})',
      close: 'Close ✕',
      detail_summary: '{n} indicators · conformity {conformity} · distance covered {distance} · score {score}',
      goal_filter: 'Only the indicators of the macro goal “{goal}”',
      show_all: 'Show all indicators',
      ind_hint: "Click an indicator's name to see its chart.",
      col_indicator: 'Indicator',
      col_unit: 'Unit',
      col_baseline: 'Baseline ({year})',
      col_value: 'Value {year}',
      col_target: 'Target {year}',
      heat_title: 'Departments × macro goals',
      heat_hint: "Each cell is the progress score of one department's indicators under one macro goal; empty means none. Click a cell to see them.",
      heat_cell: '{dept} — {goal}: score {score}, conformity {conformity}, {n} indicators',
      band_top: 'all targets achieved',
      status: 'Status',
      horizon_target: 'Horizon target',
      trend_at: 'Trend in {year}',
      slope: 'Trend slope',
      per_year: 'per year',
      p_reach: 'Chance of reaching the horizon target',
      chart_failed: 'The chart library could not be loaded; the figures are in the table below.',
      series_year: 'Year',
      series_actual: 'Actual',
      series_target: 'Target',
      legend_baseline: 'Baseline',
      legend_actual: 'Actual',
      legend_targets: 'Annual target',
      legend_horizon: 'Horizon target',
      legend_trend: 'Trend (projection)',
      footer: 'Made with planmon from the plan data (fingerprint {fp}). Progress scores follow the Open SDG method.',
      dash: '—'
    }
  };
  // Kinds, measures and the prediction interval are named by planmon's vocabulary
  // (planmon.core.vocabulary, put into the payload by planmon.dashboard.page.dashboard_words).
  Object.keys(D.words || {}).forEach(function (lang) {
    if (TEXT[lang]) Object.assign(TEXT[lang], D.words[lang]);
  });

  // Chart colours, the same as the PDF reports' charts (planmon.charts).
  var COLOUR = { actual: '#1F4E79', target: '#5F5F5F', trend: '#7B4FA0', star: '#FFD23F', ref: '#333333' };
  var FONTS = {
    fa: '"Vazirmatn", "Noto Sans Arabic", "DejaVu Sans", Tahoma, sans-serif',
    en: '"DejaVu Sans", "Segoe UI", Tahoma, "Noto Sans Arabic", sans-serif'
  };
  var PLOTLY_SRC = 'assets/plotly.min.js';

  // ------------------------------------------------------------------------------ data
  function fieldIndex(block) {
    var idx = {};
    block.fields.forEach(function (f, k) { idx[f] = k; });
    return idx;
  }
  var STATUSES = D.statuses;
  var NA = STATUSES.length - 1;  // not_available is last
  var DEPTS = D.depts.rows.map(function (r, k) {
    return { i: k, id: r[0], kind: r[1], name: { fa: r[2] || r[3] || r[0], en: r[3] || r[2] || r[0] } };
  });
  var DEPT_BY_ID = {};
  DEPTS.forEach(function (d) { DEPT_BY_ID[d.id] = d; });
  var GOALS = D.goals.rows.map(function (r, k) {
    return { i: k, id: r[0], name: { fa: r[1] || r[2] || r[0], en: r[2] || r[1] || r[0] } };
  });
  var GOAL_BY_ID = {};
  GOALS.forEach(function (g) { GOAL_BY_ID[g.id] = g; });
  var IF = fieldIndex(D.indicators);
  var INDS = D.indicators.rows.map(function (r, k) {
    return {
      i: k, id: r[IF.id], dept: r[IF.dept], goal: r[IF.goal],
      name: { fa: r[IF.name_fa] || r[IF.name_en], en: r[IF.name_en] || r[IF.name_fa] },
      unit: { fa: r[IF.unit_fa], en: r[IF.unit_en] }, direction: r[IF.direction],
      baseYear: r[IF.baseline_year], baseValue: r[IF.baseline_value],
      horizonYear: r[IF.horizon_year], targets: r[IF.targets], actuals: r[IF.actuals]
    };
  });
  var IND_BY_ID = {};
  INDS.forEach(function (x) { IND_BY_ID[x.id] = x; });
  var INDS_OF = DEPTS.map(function () { return []; });
  INDS.forEach(function (x) { if (x.dept >= 0) INDS_OF[x.dept].push(x); });
  var UF = fieldIndex(D.dept_years);
  var PF = fieldIndex(D.plan_years);
  var HF = fieldIndex(D.heat);
  var MF = fieldIndex(D.ind_years);

  function unitRow(row, f) {
    return {
      n: row[f.n_indicators], withValue: row[f.n_with_value],
      conformity: row[f.conformity_pct], distance: row[f.distance_covered_pct],
      score: row[f.progress_score], status: row[f.status],
      conformityChange: row[f.conformity_change], scoreChange: row[f.score_change],
      counts: row[f.status_counts],
      reported: f.reported !== undefined ? row[f.reported] : null,
      nReports: f.n_reports !== undefined ? row[f.n_reports] : null
    };
  }
  function deptYear(dept, year) { return unitRow(D.dept_years.rows[year][dept.i], UF); }
  function planYear(year) { return unitRow(D.plan_years.rows[year], PF); }
  function measures(ind, year) {
    var r = D.ind_years.rows[year][ind.i];
    var m = {};
    D.ind_years.fields.forEach(function (f, k) { m[f] = r[k]; });
    return m;
  }
  function previousYear(year) {
    var k = D.years.indexOf(year);
    return k > 0 ? D.years[k - 1] : null;
  }

  // ------------------------------------------------------------------------------ state
  var state = { lang: 'fa', year: D.year, kind: '', dept: '', sort: '', desc: false, open: '', ind: '', goal: '' };

  var DEFAULTS = Object.assign({}, state);
  function readHash() {
    Object.assign(state, DEFAULTS);
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.get('lang') === 'en' || params.get('lang') === 'fa') state.lang = params.get('lang');
    var y = parseInt(params.get('year'), 10);
    if (D.years.indexOf(y) >= 0) state.year = y;
    if (D.kinds.indexOf(params.get('kind')) >= 0) state.kind = params.get('kind');
    if (DEPT_BY_ID[params.get('dept')]) state.dept = params.get('dept');
    if (params.get('sort')) { state.sort = params.get('sort'); state.desc = params.get('desc') === '1'; }
    if (DEPT_BY_ID[params.get('open')]) state.open = params.get('open');
    if (GOAL_BY_ID[params.get('goal')]) state.goal = params.get('goal');
    if (IND_BY_ID[params.get('ind')]) state.ind = params.get('ind');
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (state.lang !== 'fa') params.set('lang', state.lang);
    if (state.year !== D.year) params.set('year', String(state.year));
    ['kind', 'dept', 'sort', 'open', 'goal', 'ind'].forEach(function (k) {
      if (state[k]) params.set(k, state[k]);
    });
    if (state.sort && state.desc) params.set('desc', '1');
    var text = params.toString();
    history.replaceState(null, '', text ? '#' + text : location.pathname + location.search);
  }

  // ------------------------------------------------------------------------------ formatting
  var formatters = {};
  function nf(options) {
    var key = state.lang + JSON.stringify(options);
    if (!formatters[key]) {
      formatters[key] = new Intl.NumberFormat(state.lang === 'fa' ? 'fa-IR' : 'en-US', options);
    }
    return formatters[key];
  }
  function t(key, values) {
    var text = TEXT[state.lang][key];
    if (text === undefined) text = key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, function (_, name) {
        return values[name] !== undefined ? values[name] : '{' + name + '}';
      });
    }
    return text;
  }
  function ok(x) { return typeof x === 'number' && isFinite(x); }
  function num(x) {
    if (!ok(x)) return t('dash');
    // precision by magnitude, as planmon.core.locale.format_number: no decimals from 100,
    // one from 10, two from 1, two significant digits below 1 (trailing zeros dropped)
    var a = Math.abs(x);
    return nf(a >= 100 ? { maximumFractionDigits: 0 } : a >= 10 ? { maximumFractionDigits: 1 }
      : a >= 1 ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 2 }).format(x);
  }
  function pct(x) {
    return ok(x) ? num(x) + (state.lang === 'fa' ? '٪' : '%') : t('dash');
  }
  function score(x) {
    return ok(x) ? nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x) : t('dash');
  }
  function signed(x) {
    return ok(x) ? nf({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(x)
      : t('dash');
  }
  function year(y) { return ok(y) ? nf({ useGrouping: false }).format(y) : t('dash'); }
  function count(n) { return ok(n) ? nf({}).format(n) : t('dash'); }
  function scoreRange() {
    var f = nf({ signDisplay: 'exceptZero' });
    return { lo: f.format(-5), hi: f.format(5) };
  }
  function kindLabel(kind) { return (TEXT[state.lang].kinds[kind]) || kind; }
  function statusLabel(k) { return STATUSES[k].label[state.lang]; }

  // ------------------------------------------------------------------------------ DOM helpers
  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k === 'style') Object.assign(node.style, v);
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : v);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function chip(statusIndex) {
    var s = STATUSES[statusIndex];
    return el('span', {
      class: 'chip', text: s.label[state.lang],
      style: { background: s.colour, color: s.text_colour }
    });
  }
  function changeNode(x, title) {
    if (!ok(x)) return el('span', { class: 'muted', text: t('dash'), title: title || null });
    var shown = Math.round(x * 10) / 10;  // what the reader sees: no arrow on a change of 0.0
    var cls = shown > 0 ? 'up' : shown < 0 ? 'down' : 'flat';
    var arrow = shown > 0 ? '▲ ' : shown < 0 ? '▼ ' : '';
    return el('span', { class: 'change ' + cls, title: title || null }, [arrow + signed(x)]);
  }
  function reportHref(dept, ext) {
    var rel = D.links.pattern
      .replace('{year}', encodeURIComponent(String(state.year)))
      .replace('{lang}', encodeURIComponent(state.lang))
      .replace('{dept_id}', encodeURIComponent(dept.id))
      .replace('{ext}', ext);
    return (D.links.prefix && D.links.prefix !== '.' ? D.links.prefix + '/' : '') + rel;
  }
  function reportLinks(dept) {
    return el('span', { class: 'report-links' }, ['html', 'pdf'].map(function (ext) {
      return el('a', {
        href: reportHref(dept, ext), class: 'report-link', 'data-ext': ext,
        title: t('report_title', { dept: dept.name[state.lang], year: year(state.year), ext: ext.toUpperCase() }),
        text: t('report_' + ext)
      });
    }));
  }
  function statusBar(counts) {
    var total = counts.reduce(function (a, b) { return a + b; }, 0);
    var parts = [];
    var tips = [];
    counts.forEach(function (n, k) {
      if (!n) return;
      parts.push(el('span', { style: { width: (100 * n / total) + '%', background: STATUSES[k].colour } }));
      tips.push(statusLabel(k) + ': ' + count(n));
    });
    return el('span', { class: 'stack', title: tips.join(' · '), 'aria-label': tips.join(' · ') }, parts);
  }

  // ------------------------------------------------------------------------------ selection
  function selectedDepts() {
    return DEPTS.filter(function (d) {
      if (state.kind && d.kind !== state.kind) return false;
      if (state.dept && d.id !== state.dept) return false;
      return true;
    });
  }

  // ------------------------------------------------------------------------------ static text
  function renderStatic() {
    var root = document.documentElement;
    root.lang = state.lang;
    root.dir = state.lang === 'fa' ? 'rtl' : 'ltr';
    document.body.style.fontFamily = FONTS[state.lang];
    document.title = (D.plan.name[state.lang] || D.plan.name.fa || D.plan.name.en) + ' — ' + t('dashboard');
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (node) {
      node.textContent = t(node.getAttribute('data-t'));
    });
    $('plan-name').textContent = D.plan.name[state.lang] || D.plan.name.fa || D.plan.name.en;
    $('plan-sub').textContent = t('subtitle', {
      year: year(state.year), base: year(D.plan.baseline_year), horizon: year(D.plan.horizon_year)
    });
    var sw = $('lang-switch');
    sw.textContent = t('switch_to');
    sw.setAttribute('lang', t('switch_lang'));
    $('footer').textContent = t('footer', { fp: (D.plan.fingerprint || '').slice(0, 12) });
  }

  function option(value, text, selected) {
    var o = el('option', { value: value, text: text });
    o.selected = !!selected;
    return o;
  }
  function renderFilters() {
    var fy = clear($('f-year'));
    D.years.slice().reverse().forEach(function (y) { fy.appendChild(option(String(y), year(y), y === state.year)); });
    var fk = clear($('f-kind'));
    fk.appendChild(option('', t('all'), !state.kind));
    D.kinds.forEach(function (k) {
      fk.appendChild(option(k, TEXT[state.lang].kinds_plural[k] || k, k === state.kind));
    });
    var fd = clear($('f-dept'));
    fd.appendChild(option('', t('all'), !state.dept));
    DEPTS.forEach(function (d) {
      if (state.kind && d.kind !== state.kind) return;
      fd.appendChild(option(d.id, d.name[state.lang], d.id === state.dept));
    });
    $('f-reset').disabled = !(state.kind || state.dept);
  }

  // ------------------------------------------------------------------------------ tiles
  function tile(label, value, note, extra, colour) {
    return el('div', { class: 'tile', style: colour ? { borderInlineStartColor: colour } : null }, [
      el('p', { class: 'tile-label', text: label }),
      el('p', { class: 'tile-value', text: value }),
      extra || null,
      el('p', { class: 'tile-note', text: note })
    ]);
  }
  function renderTiles() {
    var box = clear($('tiles'));
    var p = planYear(state.year);
    var prev = previousYear(state.year);
    function since(x, fmt) {
      return el('p', { class: 'tile-change' }, prev === null ? [t('no_previous')]
        : [t('change_since', { year: year(prev), change: '' }), changeNode(x, null), fmt ? ' ' + fmt : null]);
    }
    var s = STATUSES[p.status];
    box.appendChild(tile(t('tile_score'), score(p.score), t('tile_score_note', scoreRange()),
      el('div', {}, [chip(p.status), since(p.scoreChange)]), s.colour));
    box.appendChild(tile(t('tile_conformity'), pct(p.conformity), t('tile_conformity_note'),
      since(p.conformityChange)));
    box.appendChild(tile(t('tile_distance'), pct(p.distance), t('tile_distance_note')));
    box.appendChild(tile(t('tile_coverage'), pct(DEPTS.length ? 100 * p.nReports / DEPTS.length : null),
      t('tile_coverage_note', { n: count(p.nReports), m: count(DEPTS.length) })));

    // Status counts of the selected departments (the whole plan when nothing is filtered).
    var filtered = !!(state.kind || state.dept);
    var counts = STATUSES.map(function () { return 0; });
    var total = 0;
    if (filtered) {
      selectedDepts().forEach(function (d) {
        var r = deptYear(d, state.year);
        r.counts.forEach(function (n, k) { counts[k] += n; total += n; });
      });
    } else {
      counts = p.counts.slice();
      total = p.n;
    }
    var list = el('div', { class: 'counts' }, counts.map(function (n, k) {
      return el('div', { class: 'count', 'data-status': STATUSES[k].id }, [
        el('span', { class: 'swatch', style: { background: STATUSES[k].colour } }),
        el('span', { class: 'count-n', text: count(n) }),
        el('span', { class: 'count-label', text: statusLabel(k) })
      ]);
    }));
    box.appendChild(el('div', { class: 'tile wide' }, [
      el('p', { class: 'tile-label', text: t('counts_title') }),
      list,
      el('p', { class: 'tile-note', text: t(filtered ? 'counts_selection' : 'counts_plan', { n: count(total), year: year(state.year) }) })
    ]));
  }

  // ------------------------------------------------------------------------------ department table
  var COLUMNS = [
    { key: 'name', label: 'col_dept', text: true, get: function (d) { return d.dept.name[state.lang]; } },
    { key: 'kind', label: 'col_kind', text: true, get: function (d) { return kindLabel(d.dept.kind); } },
    { key: 'n', label: 'col_indicators', get: function (d) { return d.row.n; } },
    { key: 'conformity', label: 'col_conformity', tip: 'tip_conformity', get: function (d) { return d.row.conformity; } },
    { key: 'distance', label: 'col_distance', tip: 'tip_distance', get: function (d) { return d.row.distance; } },
    { key: 'score', label: 'col_score', tip: 'tip_score', get: function (d) { return d.row.score; } },
    { key: 'change', label: 'col_change', tip: 'tip_change', get: function (d) { return d.row.scoreChange; } },
    // best status first when sorted descending, like the numbers; "no data" always last
    { key: 'status', label: 'col_status', get: function (d) { return d.row.status === NA ? null : -d.row.status; } },
    { key: 'reports', label: 'col_reports', unsortable: true }
  ];
  var COLUMN_BY_KEY = {};
  COLUMNS.forEach(function (c) { COLUMN_BY_KEY[c.key] = c; });

  function sortedRows() {
    var rows = selectedDepts().map(function (dept) { return { dept: dept, row: deptYear(dept, state.year) }; });
    var col = COLUMN_BY_KEY[state.sort];
    if (!col || col.unsortable) return rows;
    var collator = new Intl.Collator(state.lang);
    var sign = state.desc ? -1 : 1;
    rows.sort(function (a, b) {
      var x = col.get(a), y = col.get(b);
      var xm = x === null || x === undefined || (typeof x === 'number' && !isFinite(x));
      var ym = y === null || y === undefined || (typeof y === 'number' && !isFinite(y));
      if (xm || ym) return xm === ym ? a.dept.i - b.dept.i : (xm ? 1 : -1);  // missing always last
      var c = col.text ? collator.compare(x, y) : x - y;
      return c !== 0 ? sign * c : a.dept.i - b.dept.i;
    });
    return rows;
  }

  function renderTable(rows) {
    var thead = clear($('dept-table').tHead);
    var tr = el('tr');
    var prev = previousYear(state.year);
    COLUMNS.forEach(function (col) {
      var label = t(col.label);
      var sorted = state.sort === col.key;
      var th = el('th', {
        scope: 'col', 'data-key': col.key, class: col.text ? 'text' : 'num',
        'aria-sort': sorted ? (state.desc ? 'descending' : 'ascending') : (col.unsortable ? null : 'none'),
        title: col.tip ? t(col.tip, scoreRange()) : null
      });
      if (col.unsortable) {
        th.textContent = label;
      } else {
        th.appendChild(el('button', {
          type: 'button', class: 'sort',
          onclick: function () {
            if (state.sort === col.key) state.desc = !state.desc;
            else { state.sort = col.key; state.desc = !col.text; }
            update();
          }
        }, [label, el('span', { class: 'arrow', 'aria-hidden': 'true', text: sorted ? (state.desc ? ' ▼' : ' ▲') : ' ↕' })]));
      }
      if (col.key === 'change' && prev !== null) {
        th.appendChild(el('span', { class: 'th-sub', text: t('change_since', { year: year(prev), change: '' }).replace(/[:：]\s*$/, '') }));
      }
      tr.appendChild(th);
    });
    thead.appendChild(tr);

    var tbody = clear($('dept-table').tBodies[0]);
    rows.forEach(function (r) {
      var d = r.dept, row = r.row;
      var nameCell = el('td', { class: 'text name' }, [
        el('button', { type: 'button', class: 'link', text: d.name[state.lang], onclick: function () { openDept(d.id, ''); } })
      ]);
      if (!row.reported) nameCell.appendChild(el('span', { class: 'badge', text: t('no_report', { year: year(state.year) }) }));
      var prevText = prev === null ? null : t('conformity_change', { change: signed(row.conformityChange) });
      tbody.appendChild(el('tr', { 'data-dept': d.id, class: state.open === d.id ? 'open' : null }, [
        nameCell,
        el('td', { class: 'text', text: kindLabel(d.kind) }),
        el('td', { class: 'num' }, [el('span', { text: count(row.n) }), row.n ? statusBar(row.counts) : null]),
        el('td', { class: 'num', text: pct(row.conformity) }),
        el('td', { class: 'num', text: pct(row.distance) }),
        el('td', { class: 'num strong', text: score(row.score) }),
        el('td', { class: 'num' }, [changeNode(row.scoreChange, prevText)]),
        el('td', { class: 'text' }, [chip(row.status)]),
        el('td', { class: 'text' }, [reportLinks(d)])
      ]));
    });
    $('dept-empty').hidden = rows.length > 0;
  }

  // ------------------------------------------------------------------------------ heat map
  function renderHeat(rows) {
    var table = clear($('heat-table'));
    var grid = {};
    D.heat.rows[state.year].forEach(function (c) { grid[c[HF.dept] + ':' + c[HF.goal]] = c; });
    var head = el('tr', {}, [el('th', { class: 'corner', scope: 'col' })]);
    GOALS.forEach(function (g) { head.appendChild(el('th', { scope: 'col', 'data-goal': g.id, text: g.name[state.lang] })); });
    table.appendChild(el('thead', {}, [head]));
    var body = el('tbody');
    rows.forEach(function (r) {
      var d = r.dept;
      var tr = el('tr', { 'data-dept': d.id }, [el('th', { scope: 'row', class: 'text', text: d.name[state.lang] })]);
      GOALS.forEach(function (g) {
        var c = grid[d.i + ':' + g.i];
        if (!c) { tr.appendChild(el('td', { class: 'none' })); return; }
        var s = STATUSES[c[HF.status]];
        var tip = t('heat_cell', {
          dept: d.name[state.lang], goal: g.name[state.lang], score: score(c[HF.progress_score]),
          conformity: pct(c[HF.conformity_pct]), n: count(c[HF.n_indicators])
        }) + ' — ' + s.label[state.lang];
        tr.appendChild(el('td', {
          class: 'cell', tabindex: '0', role: 'button', title: tip, 'aria-label': tip, 'data-goal': g.id,
          style: { background: s.colour, color: s.text_colour },
          onclick: function () { openDept(d.id, g.id); },
          onkeydown: function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openDept(d.id, g.id); } }
        }, [score(c[HF.progress_score])]));
      });
      body.appendChild(tr);
    });
    table.appendChild(body);

    var legend = clear($('heat-legend'));
    var bands = D.score_bands;  // cut-offs between substantial, moderate, limited, deterioration
    STATUSES.forEach(function (s, k) {
      var range;
      if (k === 0) range = t('band_top');
      else if (k === 1) range = '≥ ' + score(bands[0]);
      else if (k === 2) range = score(bands[1]) + ' … ' + score(bands[0]);
      else if (k === 3) range = score(bands[2]) + ' … ' + score(bands[1]);
      else if (k === 4) range = '< ' + score(bands[2]);
      else range = t('band_na');
      legend.appendChild(el('span', { class: 'legend-item' }, [
        el('span', { class: 'swatch', style: { background: s.colour } }),
        s.label[state.lang] + ' (' + range + ')'
      ]));
    });
  }

  // ------------------------------------------------------------------------------ drill-down
  function openDept(id, goal) {
    state.open = id;
    state.goal = goal || '';
    state.ind = '';
    update();
    $('detail').scrollIntoView({ block: 'start', behavior: 'auto' });
  }
  function closeDept() {
    var id = state.open;
    state.open = ''; state.goal = ''; state.ind = '';
    update();
    var row = document.querySelector('#dept-table tr[data-dept="' + CSS.escape(id) + '"]');
    if (row) row.scrollIntoView({ block: 'center' });
  }

  function renderDetail() {
    var section = $('detail');
    var d = DEPT_BY_ID[state.open];
    if (!d) { section.hidden = true; purgeChart(); return; }
    section.hidden = false;
    var row = deptYear(d, state.year);
    var head = clear($('detail-name'));
    head.appendChild(document.createTextNode(d.name[state.lang] + ' '));
    head.appendChild(chip(row.status));
    $('detail-summary').textContent = kindLabel(d.kind) + ' · ' + t('detail_summary', {
      n: count(row.n), conformity: pct(row.conformity), distance: pct(row.distance), score: score(row.score)
    }) + (row.reported ? '' : ' · ' + t('no_report', { year: year(state.year) }));
    var links = clear($('detail-links'));
    links.appendChild(document.createTextNode(t('col_reports') + ': '));
    links.appendChild(reportLinks(d));

    var goalBox = clear($('detail-goal'));
    var g = GOAL_BY_ID[state.goal];
    goalBox.hidden = !g;
    if (g) {
      goalBox.appendChild(document.createTextNode(t('goal_filter', { goal: g.name[state.lang] }) + ' '));
      goalBox.appendChild(el('button', {
        type: 'button', class: 'ghost small', text: t('show_all'),
        onclick: function () { state.goal = ''; update(); }
      }));
    }

    var inds = INDS_OF[d.i].filter(function (x) { return !g || x.goal === g.i; });
    var yk = D.years.indexOf(state.year);
    var tk = D.target_years.indexOf(state.year);
    var thead = clear($('ind-table').tHead);
    var cols = [
      ['text', t('col_indicator')], ['text', t('col_unit')],
      ['num', t('col_value', { year: year(state.year) })], ['num', t('col_target', { year: year(state.year) })],
      ['num', t('col_achievement')], ['num', t('col_distance')], ['num', t('col_score')], ['text', t('col_status')]
    ];
    thead.appendChild(el('tr', {}, cols.map(function (c) { return el('th', { scope: 'col', class: c[0], text: c[1] }); })));
    var tbody = clear($('ind-table').tBodies[0]);
    inds.forEach(function (x) {
      var m = measures(x, state.year);
      tbody.appendChild(el('tr', { 'data-ind': x.id, class: state.ind === x.id ? 'open' : null }, [
        el('td', { class: 'text name' }, [el('button', {
          type: 'button', class: 'link', text: x.name[state.lang],
          onclick: function () { state.ind = x.id; update(); $('ind-panel').scrollIntoView({ block: 'nearest' }); }
        })]),
        el('td', { class: 'text unit', text: x.unit[state.lang] }),
        el('td', { class: 'num', text: num(yk >= 0 ? x.actuals[yk] : null) }),
        el('td', { class: 'num', text: num(tk >= 0 ? x.targets[tk] : null) }),
        el('td', { class: 'num', text: pct(m.achievement_pct) }),
        el('td', { class: 'num', text: pct(m.distance_covered_pct) }),
        el('td', { class: 'num strong', text: score(m.score) }),
        el('td', { class: 'text' }, [chip(m.status)])
      ]));
    });
    renderIndicator();
  }

  // ------------------------------------------------------------------------------ indicator chart
  function horizonTarget(ind) {
    for (var k = D.target_years.length - 1; k >= 0; k--) {
      if (ok(ind.targets[k])) return { year: D.target_years[k], value: ind.targets[k] };
    }
    return null;
  }
  function indicatorHistory(ind) {
    // baseline, then every value reported up to the selected year
    var pts = [];
    if (ok(ind.baseValue)) pts.push({ year: ind.baseYear, value: ind.baseValue, baseline: true });
    D.years.forEach(function (y, k) {
      if (y <= state.year && ok(ind.actuals[k])) pts.push({ year: y, value: ind.actuals[k], baseline: false });
    });
    return pts;
  }
  function niceTicks(lo, hi, n) {
    if (!(hi > lo)) { var pad = Math.abs(lo) * 0.1 || 1; lo -= pad; hi += pad; }
    var raw = (hi - lo) / n;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var err = raw / mag;
    var step = mag * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
    var decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    var ticks = [];
    for (var v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)));
    if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toFixed(decimals)));
    return { ticks: ticks, decimals: decimals };
  }
  // Plotly draws SVG text with a left-to-right base direction; a Persian label ending in a
  // number or a percent sign would come out scrambled, so Persian strings are isolated as RTL.
  function svgText(s) { return state.lang === 'fa' && s ? '\u2067' + s + '\u2069' : s; }
  function tickText(v, decimals) {
    return nf({ minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
  }

  function figure(ind) {
    var lang = state.lang;
    var m = measures(ind, state.year);
    var hist = indicatorHistory(ind);
    var targets = [];
    D.target_years.forEach(function (y, k) { if (ok(ind.targets[k])) targets.push({ year: y, value: ind.targets[k] }); });
    var horizon = horizonTarget(ind);
    var data = [];
    var ys = [];
    function label(name, p) { return svgText(name + ' ' + year(p.year) + ': ' + num(p.value)); }

    if (targets.length) {
      var path = targets.slice();
      if (hist.length && hist[0].baseline && hist[0].year < path[0].year) path.unshift(hist[0]);
      data.push({
        type: 'scatter', mode: 'lines+markers', name: svgText(t('legend_targets')),
        x: path.map(function (p) { return p.year; }), y: path.map(function (p) { return p.value; }),
        text: path.map(function (p) { return label(t('series_target'), p); }), hovertemplate: '%{text}<extra></extra>',
        line: { color: COLOUR.target, width: 1.4, dash: 'dash' },
        marker: { color: '#ffffff', size: 7, line: { color: COLOUR.target, width: 1.4 } }
      });
      path.forEach(function (p) { ys.push(p.value); });
    }
    var last = hist.length ? hist[hist.length - 1] : null;
    var hy = ok(ind.horizonYear) ? ind.horizonYear : (horizon ? horizon.year : null);
    if (last && ok(m.trend_horizon_value) && ok(hy) && hy > last.year) {
      // As in the PDF charts: the projection runs from the last reported value to the trend's
      // value at the horizon; the band widens to the 95 % interval there.
      if (ok(m.trend_low) && ok(m.trend_high)) {
        // a share cannot leave 0–100 %: draw only the possible part of the interval (as the PDFs)
        var share = ind.unit.en === '%';
        var low = share ? Math.max(0, Math.min(100, m.trend_low)) : m.trend_low;
        var high = share ? Math.max(0, Math.min(100, m.trend_high)) : m.trend_high;
        data.push({
          type: 'scatter', mode: 'lines', name: svgText(t('legend_interval')), fill: 'toself',
          x: [last.year, hy, hy, last.year], y: [last.value, low, high, last.value],
          fillcolor: 'rgba(123,79,160,0.16)', line: { width: 0, color: COLOUR.trend }, hoverinfo: 'skip'
        });
        ys.push(low, high);
      }
      data.push({
        type: 'scatter', mode: 'lines', name: svgText(t('legend_trend')),
        x: [last.year, hy], y: [last.value, m.trend_horizon_value],
        text: ['', label(t('legend_trend'), { year: hy, value: m.trend_horizon_value })],
        hovertemplate: '%{text}<extra></extra>',
        line: { color: COLOUR.trend, width: 1.8, dash: 'dashdot' }
      });
      ys.push(m.trend_horizon_value);
    }
    if (hist.length) {
      data.push({
        type: 'scatter', mode: 'lines+markers', name: svgText(t('legend_actual')),
        x: hist.map(function (p) { return p.year; }), y: hist.map(function (p) { return p.value; }),
        text: hist.map(function (p) { return label(p.baseline ? t('legend_baseline') : t('series_actual'), p); }),
        hovertemplate: '%{text}<extra></extra>',
        line: { color: COLOUR.actual, width: 2.4 }, marker: { color: COLOUR.actual, size: 8 }
      });
      hist.forEach(function (p) { ys.push(p.value); });
      if (hist[0].baseline) {
        data.push({
          type: 'scatter', mode: 'markers', name: svgText(t('legend_baseline') + ' (' + year(hist[0].year) + ')'),
          x: [hist[0].year], y: [hist[0].value], text: [label(t('legend_baseline'), hist[0])],
          hovertemplate: '%{text}<extra></extra>',
          marker: { symbol: 'square', size: 11, color: '#ffffff', line: { color: COLOUR.actual, width: 2 } }
        });
      }
    }
    if (horizon) {
      data.push({
        type: 'scatter', mode: 'markers', name: svgText(t('legend_horizon') + ' (' + year(horizon.year) + ')'),
        x: [horizon.year], y: [horizon.value], text: [label(t('legend_horizon'), horizon)],
        hovertemplate: '%{text}<extra></extra>',
        marker: { symbol: 'star', size: 18, color: COLOUR.star, line: { color: COLOUR.ref, width: 1 } }
      });
    }

    var xs = [];
    data.forEach(function (tr) { tr.x.forEach(function (x) { xs.push(x); }); });
    var x0 = Math.min.apply(null, xs.length ? xs : [state.year]);
    var x1 = Math.max.apply(null, xs.length ? xs : [state.year]);
    var xt = [];
    for (var y = x0; y <= x1; y++) xt.push(y);
    var lo = ys.length ? Math.min.apply(null, ys) : 0;
    var hi = ys.length ? Math.max.apply(null, ys) : 1;
    var pad = (hi - lo) * 0.04;  // keep the markers at the extremes off the frame
    var nt = niceTicks(lo - pad, hi + pad, 5);
    var rtl = lang === 'fa';
    var layout = {
      font: { family: FONTS[lang], size: 13, color: '#222222' },
      height: 380,
      margin: { t: 16, b: 90, l: rtl ? 24 : 70, r: rtl ? 70 : 24 },
      paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff',
      showlegend: true,
      legend: { orientation: 'h', x: rtl ? 1 : 0, xanchor: rtl ? 'right' : 'left', y: -0.16, yanchor: 'top' },
      hovermode: 'closest',
      hoverlabel: { font: { family: FONTS[lang] } },
      xaxis: {
        tickmode: 'array', tickvals: xt, ticktext: xt.map(year), range: [x0 - 0.4, x1 + 0.4],
        showgrid: false, zeroline: false, fixedrange: true, linecolor: '#999999'
      },
      yaxis: {
        tickmode: 'array', tickvals: nt.ticks, ticktext: nt.ticks.map(function (v) { return tickText(v, nt.decimals); }),
        range: [nt.ticks[0], nt.ticks[nt.ticks.length - 1]], side: rtl ? 'right' : 'left',
        title: { text: svgText(ind.unit[state.lang] || '') }, gridcolor: '#e6e6e6', zeroline: false, fixedrange: true
      }
    };
    data.forEach(function (tr) { tr.cliponaxis = false; });
    return { data: data, layout: layout };
  }

  var plotlyPromise = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = PLOTLY_SRC;
        s.onload = function () { window.Plotly ? resolve(window.Plotly) : reject(new Error('Plotly missing')); };
        s.onerror = function () { plotlyPromise = null; reject(new Error('cannot load ' + PLOTLY_SRC)); };
        document.head.appendChild(s);
      });
    }
    return plotlyPromise;
  }
  function purgeChart() {
    var div = $('chart');
    if (window.Plotly && div.data) window.Plotly.purge(div);
    clear(div);
  }

  var chartToken = 0;
  function renderIndicator() {
    var panel = $('ind-panel');
    var ind = IND_BY_ID[state.ind];
    if (!ind || ind.dept !== DEPT_BY_ID[state.open].i) { panel.hidden = true; purgeChart(); return; }
    panel.hidden = false;
    var m = measures(ind, state.year);
    var unit = ind.unit[state.lang];
    $('ind-name').textContent = ind.name[state.lang] + (unit ? ' (' + unit + ')' : '');
    var facts = clear($('ind-facts'));
    function fact(term, nodes) {
      facts.appendChild(el('div', {}, [el('dt', { text: term }), el('dd', {}, nodes)]));
    }
    fact(t('status'), [chip(m.status)]);
    var horizon = horizonTarget(ind);
    if (horizon) fact(t('horizon_target') + ' (' + year(horizon.year) + ')', [num(horizon.value)]);
    var hy = ok(ind.horizonYear) ? ind.horizonYear : (horizon ? horizon.year : null);
    if (ok(m.trend_horizon_value)) {
      var trendText = num(m.trend_horizon_value);
      if (ok(m.trend_low) && ok(m.trend_high)) trendText += ' (' + t('interval', { low: num(m.trend_low), high: num(m.trend_high) }) + ')';
      fact(t('trend_at', { year: year(hy) }), [trendText]);
    }
    if (ok(m.trend_slope)) {
      fact(t('slope'), [nf({ maximumSignificantDigits: 3, signDisplay: 'exceptZero' }).format(m.trend_slope) + ' ' + t('per_year')]);
    }
    if (ok(m.p_reach_target)) fact(t('p_reach'), [pct(100 * m.p_reach_target)]);

    // The figures as a table too: readable without the chart, and by screen readers.
    var thead = clear($('series-table').tHead);
    thead.appendChild(el('tr', {}, [
      el('th', { scope: 'col', class: 'text', text: t('series_year') }),
      el('th', { scope: 'col', class: 'num', text: t('series_actual') }),
      el('th', { scope: 'col', class: 'num', text: t('series_target') })
    ]));
    var tbody = clear($('series-table').tBodies[0]);
    var seriesYears = [];
    if (ok(ind.baseYear)) seriesYears.push(ind.baseYear);
    D.target_years.forEach(function (y) { if (seriesYears.indexOf(y) < 0) seriesYears.push(y); });
    D.years.forEach(function (y) { if (seriesYears.indexOf(y) < 0) seriesYears.push(y); });
    seriesYears.sort(function (a, b) { return a - b; });
    seriesYears.forEach(function (y) {
      var ak = D.years.indexOf(y);
      var tk = D.target_years.indexOf(y);
      var actual = y === ind.baseYear ? ind.baseValue : (ak >= 0 && y <= state.year ? ind.actuals[ak] : null);
      tbody.appendChild(el('tr', {}, [
        el('td', { class: 'text', text: year(y) + (y === ind.baseYear ? ' (' + t('legend_baseline') + ')' : '') }),
        el('td', { class: 'num', text: num(actual) }),
        el('td', { class: 'num', text: num(tk >= 0 ? ind.targets[tk] : null) })
      ]));
    });

    var fig = figure(ind);
    var token = ++chartToken;
    $('chart').setAttribute('aria-label', ind.name[state.lang]);
    $('chart-error').hidden = true;
    loadPlotly().then(function (Plotly) {
      if (token !== chartToken) return;  // the reader moved on while plotly.js loaded
      return Plotly.react($('chart'), fig.data, fig.layout, {
        displaylogo: false, responsive: true,
        modeBarButtons: [['toImage']], toImageButtonOptions: { filename: ind.id }
      });
    }).catch(function () {
      $('chart-error').textContent = t('chart_failed');
      $('chart-error').hidden = false;
    });
  }

  // ------------------------------------------------------------------------------ main loop
  function render() {
    renderStatic();
    renderFilters();
    renderTiles();
    var rows = sortedRows();
    renderTable(rows);
    renderHeat(rows);
    renderDetail();
  }
  function update() { writeHash(); render(); }

  $('lang-switch').addEventListener('click', function () {
    state.lang = state.lang === 'fa' ? 'en' : 'fa';
    update();
  });
  $('f-year').addEventListener('change', function (e) { state.year = parseInt(e.target.value, 10); update(); });
  $('f-kind').addEventListener('change', function (e) {
    state.kind = e.target.value;
    if (state.dept && DEPT_BY_ID[state.dept].kind !== state.kind && state.kind) state.dept = '';
    update();
  });
  $('f-dept').addEventListener('change', function (e) {
    state.dept = e.target.value;
    if (state.dept) { openDept(state.dept, ''); } else { update(); }
  });
  $('f-reset').addEventListener('click', function () { state.kind = ''; state.dept = ''; update(); });
  $('detail-close').addEventListener('click', closeDept);
  window.addEventListener('hashchange', function () { readHash(); render(); });

  readHash();
  render();
  performance.mark('rendered');
  document.body.setAttribute('data-ready', '1');
  // Fetch plotly.js once the page is drawn and the browser is idle, so the first chart opens
  // at once without delaying the first view.
  var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 200); };
  idle(function () { loadPlotly().catch(function () { /* reported when a chart is opened */ }); }, { timeout: 2000 });
})();
