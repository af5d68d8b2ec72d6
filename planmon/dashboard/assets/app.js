/* planmon management dashboard.
 *
 * Lays out the figures planmon computed (embedded in index.html as JSON): the overview (tiles,
 * a sortable department table, a department x goal heat map, filters), a department's
 * drill-down, one page per indicator (chart and table, passport, notes, commentary and
 * actions, downloads), the districts compared, and a search across indicators. No framework
 * and no build step; words.js, lib.js and chart.js are loaded first.
 *
 * Safety: every piece of text from the data is set with textContent or setAttribute, never
 * as markup, so a name in the plan can never become markup.
 * State (language, year, filters, sort, open department, indicator, view) lives in the URL
 * fragment, so Back returns to the same view and a view can be bookmarked; an indicator's
 * stable link is #indicator=ID&year=Y.
 */
(function (PM) {
  'use strict';

  var D;
  try {
    D = JSON.parse(document.getElementById('data').textContent);
  } catch (err) {
    document.body.textContent = 'planmon dashboard: the embedded data cannot be read (' + err + ').';
    return;
  }
  if (D.schema !== 2) {
    document.body.textContent = 'planmon dashboard: unknown data version ' + D.schema + '.';
    return;
  }
  var lib = PM.lib;
  var WORDS = PM.WORDS;
  // words that name planmon's concepts come from planmon.core.vocabulary (the payload's words)
  Object.keys(D.words || {}).forEach(function (lang) {
    Object.keys(D.words[lang]).forEach(function (key) { WORDS[lang][key] = D.words[lang][key]; });
  });
  var LANGS = ['fa', 'en'];

  // ------------------------------------------------------------------------------ data
  var fieldIndex = lib.fieldIndex;
  var STATUSES = D.statuses;
  var NA = STATUSES.length - 1;  // not_available is last
  function named(fa, en, id) { return { fa: fa || en || id, en: en || fa || id }; }
  var DEPTS = D.depts.rows.map(function (r, k) { return { i: k, id: r[0], kind: r[1], name: named(r[2], r[3], r[0]) }; });
  var DEPT_BY_ID = {};
  DEPTS.forEach(function (d) { DEPT_BY_ID[d.id] = d; });
  var GOALS = D.goals.rows.map(function (r, k) { return { i: k, id: r[0], name: named(r[1], r[2], r[0]) }; });
  var GOAL_BY_ID = {};
  GOALS.forEach(function (g) { GOAL_BY_ID[g.id] = g; });
  var IF = fieldIndex(D.indicators);
  var PASSPORT = ['definition', 'formula', 'source', 'responsible', 'frequency', 'level'];
  var INDS = D.indicators.rows.map(function (r, k) {
    var x = {
      i: k, id: r[IF.id], dept: r[IF.dept], goal: r[IF.goal], name: named(r[IF.name_fa], r[IF.name_en], r[IF.id]),
      unit: { fa: r[IF.unit_fa], en: r[IF.unit_en] }, direction: r[IF.direction],
      baseYear: r[IF.baseline_year], baseValue: r[IF.baseline_value],
      horizonYear: r[IF.horizon_year], targets: r[IF.targets], actuals: r[IF.actuals], passport: {}
    };
    PASSPORT.forEach(function (p) { x.passport[p] = r[IF[p]] || ''; });
    x.hay = lib.haystack([x.name.fa, x.name.en, x.id]);
    return x;
  });
  var IND_BY_ID = {};
  INDS.forEach(function (x) { IND_BY_ID[x.id] = x; });
  var INDS_OF = DEPTS.map(function () { return []; });
  INDS.forEach(function (x) { if (x.dept >= 0) INDS_OF[x.dept].push(x); });
  var UF = fieldIndex(D.dept_years), PF = fieldIndex(D.plan_years), KF = fieldIndex(D.kind_years);
  var HF = fieldIndex(D.heat), MF = fieldIndex(D.ind_years);
  var CF = fieldIndex(D.commentary), AF = fieldIndex(D.actions);
  var HAS_DISTRICTS = D.districts.rows.length > 0;
  var ASSETS = D.assets || 'assets';

  function unitRow(row, f) {
    function get(name) { return f[name] !== undefined ? row[f[name]] : null; }
    return {
      n: get('n_indicators'), withValue: get('n_with_value'), conformity: get('conformity_pct'),
      distance: get('distance_covered_pct'), score: get('progress_score'), status: get('status'),
      conformityChange: get('conformity_change'), scoreChange: get('score_change'),
      counts: get('status_counts'), coverage: get('coverage_pct'), reported: get('reported'),
      rank: get('rank'), provisional: !!get('provisional'), nReports: get('n_reports')
    };
  }
  function deptYear(dept, year) { return unitRow(D.dept_years.rows[year][dept.i], UF); }
  function planYear(year) { return unitRow(D.plan_years.rows[year], PF); }
  function kindYear(kind, year) { return unitRow(D.kind_years.rows[year][D.kinds.indexOf(kind)], KF); }
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
  function isProvisional(year) { return D.provisional_years.indexOf(year) >= 0; }

  // ------------------------------------------------------------------------------ state
  var state = {
    lang: 'fa', year: D.year, kind: '', dept: '', sort: '', desc: false,
    open: '', goal: '', indicator: '', tab: 'chart', view: ''
  };
  var DEFAULTS = Object.assign({}, state);
  var unknownIndicator = '';  // a link to an indicator the plan no longer has
  function readHash() {
    Object.assign(state, DEFAULTS);
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (LANGS.indexOf(p.get('lang')) >= 0) state.lang = p.get('lang');
    var y = parseInt(p.get('year'), 10);
    if (D.years.indexOf(y) >= 0) state.year = y;
    if (D.kinds.indexOf(p.get('kind')) >= 0) state.kind = p.get('kind');
    if (DEPT_BY_ID[p.get('dept')]) state.dept = p.get('dept');
    if (p.get('sort')) { state.sort = p.get('sort'); state.desc = p.get('desc') === '1'; }
    if (DEPT_BY_ID[p.get('open')]) state.open = p.get('open');
    if (GOAL_BY_ID[p.get('goal')]) state.goal = p.get('goal');
    if (IND_BY_ID[p.get('indicator')]) state.indicator = p.get('indicator');
    unknownIndicator = p.get('indicator') && !state.indicator ? p.get('indicator') : '';
    if (p.get('tab') === 'table') state.tab = 'table';
    if (p.get('view') === 'districts' && HAS_DISTRICTS) state.view = 'districts';
  }
  function hashOf(s) {
    var p = new URLSearchParams();
    if (s.indicator) { p.set('indicator', s.indicator); p.set('year', String(s.year)); }
    if (s.lang !== 'fa') p.set('lang', s.lang);
    if (!s.indicator && s.year !== D.year) p.set('year', String(s.year));
    ['view', 'kind', 'dept', 'sort', 'open', 'goal'].forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    if (s.sort && s.desc) p.set('desc', '1');
    if (s.indicator && s.tab !== 'chart') p.set('tab', s.tab);
    return p.toString();
  }
  function writeHash() {
    var text = hashOf(state);
    history.replaceState(null, '', text ? '#' + text : location.pathname + location.search);
  }
  // Links to a view: the minimal state of that view, in the reader's language and year.
  function viewHref(s) { return '#' + hashOf(Object.assign({}, DEFAULTS, { lang: state.lang, year: state.year }, s)); }
  function indicatorHref(id) { return viewHref({ indicator: id }); }

  // ------------------------------------------------------------------------------ words and numbers
  var F = lib.formats('fa', '—');
  function t(key, values) {
    var text = WORDS[state.lang][key];
    if (text === undefined) text = key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, function (_, name) {
        return values[name] !== undefined ? values[name] : '{' + name + '}';
      });
    }
    return text;
  }
  // A plan concept's word from planmon.core.vocabulary (the payload's labels), else the code.
  function label(table, code) {
    var entry = (D.labels[table] || {})[code];
    return entry ? entry[state.lang] : (code || '');
  }
  function scoreRange() {
    var f = F.nf({ signDisplay: 'exceptZero' });
    return { lo: f.format(-5), hi: f.format(5) };
  }
  function kindLabel(kind) { return label('kind', kind); }
  function statusLabel(k) { return STATUSES[k].label[state.lang]; }
  function otherLang() { return state.lang === 'fa' ? 'en' : 'fa'; }
  function listJoin(names) { return names.join(state.lang === 'fa' ? '، ' : ', '); }

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
    return el('span', { class: 'chip', text: s.label[state.lang], style: { background: s.colour, color: s.text_colour } });
  }
  function caveatBadges(codes) {
    return (codes || []).map(function (c) {
      return el('span', { class: 'badge caveat', 'data-caveat': c, title: t('caveats'), text: label('caveat', c) });
    });
  }
  // A change against the previous year; in a provisional year none is shown as a gain or a
  // loss (compact: a dash that says why when pointed at, for table cells).
  function changeNode(x, title, compact) {
    if (isProvisional(state.year)) {
      return el('span', { class: 'muted not-compared', title: t('not_compared'), text: compact ? t('dash') : t('not_compared') });
    }
    if (!F.ok(x)) return el('span', { class: 'muted', text: t('dash'), title: title || null });
    var shown = Math.round(x * 10) / 10;  // what the reader sees: no arrow on a change of 0.0
    var cls = shown > 0 ? 'up' : shown < 0 ? 'down' : 'flat';
    var arrow = shown > 0 ? '▲ ' : shown < 0 ? '▼ ' : '';
    return el('span', { class: 'change ' + cls, title: title || null }, [arrow + F.signed(x)]);
  }
  function facts(box, items) {
    items.forEach(function (it) {
      if (!it) return;
      box.appendChild(el('div', {}, [el('dt', { text: it[0] }), el('dd', { dir: it[2] ? 'auto' : null }, [].concat(it[1]))]));
    });
  }

  // ------------------------------------------------------------------------------ report links
  function built(year, lang) { return ((D.links.built || {})[String(year)] || {})[lang] || null; }
  function reportHref(stem, lang, ext) {
    var rel = D.links.pattern.replace('{year}', encodeURIComponent(String(state.year)))
      .replace('{lang}', encodeURIComponent(lang)).replace('{dept_id}', encodeURIComponent(stem))
      .replace('{ext}', ext);
    return (D.links.prefix && D.links.prefix !== '.' ? D.links.prefix + '/' : '') + rel;
  }
  function prefixed(rel) { return (D.links.prefix && D.links.prefix !== '.' ? D.links.prefix + '/' : '') + rel; }
  // Links to the reports of `stem` that exist: in the reader's language, else in the other one
  // (labelled so), else "not built".
  function reportLinks(stem, title) {
    var nodes = [];
    ['html', 'pdf'].forEach(function (ext) {
      [state.lang, otherLang()].some(function (lang) {
        var b = built(state.year, lang);
        if (!b || b[ext].indexOf(stem) < 0) return false;
        var text = t('report_' + ext);
        nodes.push(el('a', {
          href: reportHref(stem, lang, ext), class: 'report-link', 'data-ext': ext, hreflang: lang,
          title: t('report_title', { dept: title, year: F.year(state.year), ext: ext.toUpperCase() }),
          text: lang === state.lang ? text : t('report_other_lang', { ext: text })
        }));
        return true;
      });
    });
    if (!nodes.length) nodes.push(el('span', { class: 'muted', text: t('report_none') }));
    return el('span', { class: 'report-links' }, nodes);
  }
  function renderReportNote() {
    var box = clear($('reports-note'));
    var mine = built(state.year, state.lang), other = built(state.year, otherLang());
    box.hidden = !!mine;
    if (mine) return;
    var hint = (D.links.build_hint || {})[state.lang] || '';
    box.appendChild(document.createTextNode(t(other ? 'reports_missing_lang' : 'reports_missing', { year: F.year(state.year), hint: '' })));
    box.appendChild(el('code', { text: hint }));
  }
  function renderYearReports() {
    var box = clear($('year-reports'));
    var items = [];
    [['overview', 'report_overview'], ['districts', 'report_districts']].forEach(function (r) {
      var links = reportLinks(r[0], t(r[1]));
      if (!links.querySelector('a')) return;
      items.push(el('span', { class: 'year-report' }, [t(r[1]) + ' ', links]));
    });
    [state.lang, otherLang()].some(function (lang) {
      var b = built(state.year, lang);
      if (!b || !b.publication) return false;
      var rel = D.links.publication.replace('{year}', String(state.year)).replace('{lang}', lang);
      var text = lang === state.lang ? t('report_publication') : t('report_other_lang', { ext: t('report_publication') });
      items.push(el('a', { href: prefixed(rel), class: 'report-link', 'data-ext': 'pdf', hreflang: lang, text: text }));
      return true;
    });
    if (D.links.index) items.push(el('a', { href: prefixed(D.links.index), class: 'report-link', text: t('site_index') }));
    box.hidden = !items.length;
    if (items.length) box.appendChild(el('span', { class: 'muted', text: t('year_reports', { year: F.year(state.year) }) }));
    items.forEach(function (n) { box.appendChild(n); });
  }

  // ------------------------------------------------------------------------------ downloads
  var MIME = { csv: 'text/csv;charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  function save(name, format, rows) {
    var body = format === 'csv' ? lib.csvText(D.download_fields, rows) : lib.xlsxBytes(D.download_fields, rows);
    var url = URL.createObjectURL(new Blob([body], { type: MIME[format] }));
    var a = el('a', { href: url, download: name + '.' + format, hidden: true });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  // "Download the data: <what> [CSV] [XLSX]", both made here from the embedded JSON.
  function downloadBar(what, name, indicators, years) {
    return el('p', { class: 'downloads', 'data-download': name }, [
      el('span', { class: 'muted', text: t('downloads') }), ' ', what, ' '
    ].concat(['csv', 'xlsx'].map(function (format) {
      return el('button', {
        type: 'button', class: 'ghost small', 'data-format': format, text: t('download_' + format),
        onclick: function () { save(name, format, lib.downloadRows(D, indicators, years)); }
      });
    })));
  }

  // ------------------------------------------------------------------------------ selection
  function selectedDepts() {
    return DEPTS.filter(function (d) {
      if (state.kind && d.kind !== state.kind) return false;
      if (state.dept && d.id !== state.dept) return false;
      return true;
    });
  }
  // What the tiles describe: the department filtered to, else the kind, else the whole plan.
  function selection() {
    if (state.dept) {
      var d = DEPT_BY_ID[state.dept];
      return { name: d.name[state.lang], row: deptYear(d, state.year) };
    }
    if (state.kind) return { name: WORDS[state.lang].kinds_plural[state.kind] || kindLabel(state.kind), row: kindYear(state.kind, state.year) };
    return { name: null, row: planYear(state.year) };
  }

  // ------------------------------------------------------------------------------ header, filters, banner
  function renderStatic() {
    var root = document.documentElement;
    root.lang = state.lang;
    root.dir = state.lang === 'fa' ? 'rtl' : 'ltr';
    document.body.style.fontFamily = PM.chart.fonts[state.lang];
    var planName = D.plan.name[state.lang] || D.plan.name.fa || D.plan.name.en;
    var ind = IND_BY_ID[state.indicator];
    document.title = (ind ? ind.name[state.lang] + ' — ' : '') + planName + ' — ' + t('dashboard');
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (node) {
      node.textContent = t(node.getAttribute('data-t'));
    });
    $('search').setAttribute('placeholder', t('search_placeholder'));
    $('plan-name').textContent = planName;
    $('plan-sub').textContent = t('subtitle', {
      year: F.year(state.year), base: F.year(D.plan.baseline_year), horizon: F.year(D.plan.horizon_year)
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
    D.years.slice().reverse().forEach(function (y) {
      var text = isProvisional(y) ? t('provisional_option', { year: F.year(y) }) : F.year(y);
      fy.appendChild(option(String(y), text, y === state.year));
    });
    var fk = clear($('f-kind'));
    fk.appendChild(option('', t('all'), !state.kind));
    D.kinds.forEach(function (k) { fk.appendChild(option(k, WORDS[state.lang].kinds_plural[k] || kindLabel(k), k === state.kind)); });
    var fd = clear($('f-dept'));
    fd.appendChild(option('', t('all'), !state.dept));
    DEPTS.forEach(function (d) {
      if (state.kind && d.kind !== state.kind) return;
      fd.appendChild(option(d.id, d.name[state.lang], d.id === state.dept));
    });
    $('f-reset').disabled = !(state.kind || state.dept);
    var tabs = clear($('view-tabs'));
    tabs.hidden = !HAS_DISTRICTS;
    [['', 'view_overview'], ['districts', 'view_districts']].forEach(function (v) {
      var current = !state.indicator && state.view === v[0];
      tabs.appendChild(el('a', {
        href: viewHref({ view: v[0] }), class: 'view-tab' + (current ? ' current' : ''), 'data-view': v[0] || 'overview',
        'aria-current': current ? 'page' : null, text: t(v[1])
      }));
    });
  }
  function renderBanner() {
    var box = clear($('banner'));
    var p = planYear(state.year);
    var reported = DEPTS.filter(function (d) { return deptYear(d, state.year).reported; }).length;
    if (p.provisional) {
      box.className = 'banner provisional';
      box.appendChild(el('strong', { class: 'banner-flag', text: t('provisional') }));
      box.appendChild(document.createTextNode(' ' + t('provisional_banner', {
        year: F.year(state.year), n: F.count(reported), m: F.count(DEPTS.length), coverage: F.pct(p.coverage)
      })));
      box.hidden = false;
      return;
    }
    var later = D.provisional_years.filter(function (y) { return y > state.year; });
    box.hidden = !later.length;
    if (!later.length) return;
    var y = later[later.length - 1];
    var n = DEPTS.filter(function (d) { return deptYear(d, y).reported; }).length;
    box.className = 'banner notice';
    box.appendChild(document.createTextNode(t('provisional_later', { year: F.year(y), n: F.count(n), m: F.count(DEPTS.length) }) + ' '));
    box.appendChild(el('button', {
      type: 'button', class: 'ghost small', 'data-year': String(y), text: t('provisional_show', { year: F.year(y) }),
      onclick: function () { state.year = y; update(); }
    }));
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
    var sel = selection(), p = sel.row;
    var prev = previousYear(state.year);
    function since(x) {
      return el('p', { class: 'tile-change' }, prev === null ? [t('no_previous')]
        : [t('change_since', { year: F.year(prev), change: '' }), changeNode(x, null)]);
    }
    var s = STATUSES[p.status];
    var scoreLabel = sel.name ? t('tile_score_sel', { name: sel.name }) : t('tile_score');
    box.appendChild(tile(scoreLabel, F.score(p.score), t('tile_score_note', scoreRange()),
      el('div', {}, [chip(p.status), since(p.scoreChange)]), s.colour));
    box.appendChild(tile(t('tile_conformity'), F.pct(p.conformity), t('tile_conformity_note'), since(p.conformityChange)));
    box.appendChild(tile(t('tile_distance'), F.pct(p.distance), t('tile_distance_note')));
    var depts = selectedDepts();
    var nReported = depts.filter(function (d) { return deptYear(d, state.year).reported; }).length;
    box.appendChild(tile(t('tile_coverage'), F.pct(depts.length ? 100 * nReported / depts.length : null),
      t('tile_coverage_note', { n: F.count(nReported), m: F.count(depts.length), coverage: F.pct(p.coverage) })));

    var counts = p.counts || STATUSES.map(function () { return 0; });
    var list = el('div', { class: 'counts' }, counts.map(function (n, k) {
      return el('div', { class: 'count', 'data-status': STATUSES[k].id }, [
        el('span', { class: 'swatch', style: { background: STATUSES[k].colour } }),
        el('span', { class: 'count-n', text: F.count(n) }),
        el('span', { class: 'count-label', text: statusLabel(k) })
      ]);
    }));
    box.appendChild(el('div', { class: 'tile wide' }, [
      el('p', { class: 'tile-label', text: t('counts_title') }), list,
      el('p', { class: 'tile-note', text: t(sel.name ? 'counts_selection' : 'counts_plan', { n: F.count(p.n), year: F.year(state.year) }) })
    ]));
  }
  function renderNotReported() {
    var missing = selectedDepts().filter(function (d) { return !deptYear(d, state.year).reported; });
    var box = $('not-reported');
    box.hidden = !missing.length;
    box.textContent = missing.length ? t('not_reported', {
      year: F.year(state.year), names: listJoin(missing.map(function (d) { return d.name[state.lang]; }))
    }) : '';
  }

  // ------------------------------------------------------------------------------ department table
  var COLUMNS = [
    { key: 'rank', label: 'col_rank', tip: 'tip_rank', asc: true, get: function (d) { return d.row.rank; } },
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
  function headerCell(col, prev) {
    var sorted = state.sort === col.key;
    var th = el('th', {
      scope: 'col', 'data-key': col.key, class: col.text ? 'text' : 'num',
      'aria-sort': sorted ? (state.desc ? 'descending' : 'ascending') : (col.unsortable ? null : 'none'),
      title: col.tip ? t(col.tip, scoreRange()) : null
    });
    if (col.unsortable) {
      th.textContent = t(col.label);
    } else {
      th.appendChild(el('button', {
        type: 'button', class: 'sort',
        onclick: function () {
          if (state.sort === col.key) state.desc = !state.desc;
          else { state.sort = col.key; state.desc = !(col.text || col.asc); }
          update();
        }
      }, [t(col.label), el('span', { class: 'arrow', 'aria-hidden': 'true', text: sorted ? (state.desc ? ' ▼' : ' ▲') : ' ↕' })]));
    }
    if (col.key === 'change' && prev !== null) {
      th.appendChild(el('span', { class: 'th-sub', text: t('change_since', { year: F.year(prev), change: '' }).replace(/[:：]\s*$/, '') }));
    }
    return th;
  }
  function statusBar(counts) {
    var total = counts.reduce(function (a, b) { return a + b; }, 0);
    var parts = [], tips = [];
    counts.forEach(function (n, k) {
      if (!n) return;
      parts.push(el('span', { style: { width: (100 * n / total) + '%', background: STATUSES[k].colour } }));
      tips.push(statusLabel(k) + ': ' + F.count(n));
    });
    return el('span', { class: 'stack', title: tips.join(' · '), 'aria-label': tips.join(' · ') }, parts);
  }
  function renderTable(rows) {
    var prev = previousYear(state.year);
    clear($('dept-table').tHead).appendChild(el('tr', {}, COLUMNS.map(function (c) { return headerCell(c, prev); })));
    var tbody = clear($('dept-table').tBodies[0]);
    rows.forEach(function (r) {
      var d = r.dept, row = r.row;
      var nameCell = el('td', { class: 'text name' }, [
        el('button', { type: 'button', class: 'link', text: d.name[state.lang], onclick: function () { openDept(d.id, ''); } })
      ]);
      if (!row.reported) nameCell.appendChild(el('span', { class: 'badge', text: t('no_report', { year: F.year(state.year) }) }));
      var prevText = prev === null ? null : t('conformity_change', { change: F.signed(row.conformityChange) });
      tbody.appendChild(el('tr', { 'data-dept': d.id, class: state.open === d.id ? 'open' : null }, [
        el('td', { class: 'num rank', text: F.ok(row.rank) ? F.count(row.rank) : t('dash') }),
        nameCell,
        el('td', { class: 'text', text: kindLabel(d.kind) }),
        el('td', { class: 'num' }, [el('span', { text: F.count(row.n) }), row.n ? statusBar(row.counts) : null]),
        el('td', { class: 'num', text: F.pct(row.conformity) }),
        el('td', { class: 'num', text: F.pct(row.distance) }),
        el('td', { class: 'num strong', text: F.score(row.score) }),
        el('td', { class: 'num' }, [changeNode(row.scoreChange, prevText, true)]),
        el('td', { class: 'text' }, [chip(row.status)]),
        el('td', { class: 'text' }, [reportLinks(d.id, d.name[state.lang])])
      ]));
    });
    $('dept-empty').hidden = rows.length > 0;
  }

  // ------------------------------------------------------------------------------ heat map
  function bandText(k) {
    var b = D.score_bands;  // cut-offs between substantial, moderate, limited, deterioration
    return [t('band_top'), '≥ ' + F.score(b[0]), F.score(b[1]) + ' … ' + F.score(b[0]),
      F.score(b[2]) + ' … ' + F.score(b[1]), '< ' + F.score(b[2]), t('band_na')][k];
  }
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
          dept: d.name[state.lang], goal: g.name[state.lang], score: F.score(c[HF.progress_score]),
          conformity: F.pct(c[HF.conformity_pct]), n: F.count(c[HF.n_indicators])
        }) + ' — ' + s.label[state.lang];
        tr.appendChild(el('td', {
          class: 'cell', tabindex: '0', role: 'button', title: tip, 'aria-label': tip, 'data-goal': g.id,
          style: { background: s.colour, color: s.text_colour },
          onclick: function () { openDept(d.id, g.id); },
          onkeydown: function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openDept(d.id, g.id); } }
        }, [F.score(c[HF.progress_score])]));
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var legend = clear($('heat-legend'));
    STATUSES.forEach(function (s, k) {
      legend.appendChild(el('span', { class: 'legend-item' }, [
        el('span', { class: 'swatch', style: { background: s.colour } }), s.label[state.lang] + ' (' + bandText(k) + ')'
      ]));
    });
  }
  function renderYearData() {
    var box = clear($('year-data'));
    box.appendChild(downloadBar(t('download_year', { year: F.year(state.year) }), 'plan-' + state.year,
      INDS.map(function (x) { return x.i; }), [state.year]));
  }

  // ------------------------------------------------------------------------------ department drill-down
  function openDept(id, goal) {
    state.open = id;
    state.goal = goal || '';
    update();
    $('detail').scrollIntoView({ block: 'start', behavior: 'auto' });
  }
  function closeDept() {
    var id = state.open;
    state.open = ''; state.goal = '';
    update();
    var row = document.querySelector('#dept-table tr[data-dept="' + CSS.escape(id) + '"]');
    if (row) row.scrollIntoView({ block: 'center' });
  }
  function indicatorLink(x) {
    return el('a', { href: indicatorHref(x.id), class: 'ind-link', 'data-ind': x.id, text: x.name[state.lang] });
  }
  function renderDetail() {
    var section = $('detail');
    var d = DEPT_BY_ID[state.open];
    section.hidden = !d;
    if (!d) return;
    var row = deptYear(d, state.year);
    var head = clear($('detail-name'));
    head.appendChild(document.createTextNode(d.name[state.lang] + ' '));
    head.appendChild(chip(row.status));
    $('detail-summary').textContent = kindLabel(d.kind) + ' · ' + t('detail_summary', {
      n: F.count(row.n), conformity: F.pct(row.conformity), distance: F.pct(row.distance), score: F.score(row.score)
    }) + (F.ok(row.rank) ? ' · ' + t('rank_of', { rank: F.count(row.rank) }) : '') +
      (row.reported ? '' : ' · ' + t('no_report', { year: F.year(state.year) }));
    var links = clear($('detail-links'));
    links.appendChild(document.createTextNode(t('col_reports') + ': '));
    links.appendChild(reportLinks(d.id, d.name[state.lang]));
    var inds = INDS_OF[d.i];
    var dl = clear($('detail-downloads'));
    dl.appendChild(downloadBar(t('download_dept', { dept: d.name[state.lang], year: F.year(state.year) }), d.id + '-' + state.year,
      inds.map(function (x) { return x.i; }), [state.year]));
    renderCommentary($('detail-commentary'), function (c) { return c.dept_id === d.id && !c.indicator_id; },
      function (a) { return a.dept_id === d.id && !actionIndicators(a).length; }, false);

    var goalBox = clear($('detail-goal'));
    var g = GOAL_BY_ID[state.goal];
    goalBox.hidden = !g;
    if (g) {
      goalBox.appendChild(document.createTextNode(t('goal_filter', { goal: g.name[state.lang] }) + ' '));
      goalBox.appendChild(el('button', { type: 'button', class: 'ghost small', text: t('show_all'), onclick: function () { state.goal = ''; update(); } }));
    }
    renderIndicatorTable(inds.filter(function (x) { return !g || x.goal === g.i; }));
  }
  function renderIndicatorTable(inds) {
    var yk = D.years.indexOf(state.year), tk = D.target_years.indexOf(state.year);
    var cols = [['text', t('col_indicator')], ['text', t('col_unit')], ['num', t('col_value', { year: F.year(state.year) })],
      ['num', t('col_target', { year: F.year(state.year) })], ['num', t('col_achievement')], ['num', t('col_distance')],
      ['num', t('col_score')], ['text', t('col_status')]];
    clear($('ind-table').tHead).appendChild(el('tr', {}, cols.map(function (c) { return el('th', { scope: 'col', class: c[0], text: c[1] }); })));
    var tbody = clear($('ind-table').tBodies[0]);
    inds.forEach(function (x) {
      var m = measures(x, state.year);
      tbody.appendChild(el('tr', { 'data-ind': x.id }, [
        el('td', { class: 'text name' }, [indicatorLink(x)].concat(caveatBadges(m.caveats))),
        el('td', { class: 'text unit', text: x.unit[state.lang] }),
        el('td', { class: 'num', text: F.num(yk >= 0 ? x.actuals[yk] : null) }),
        el('td', { class: 'num', text: F.num(tk >= 0 ? x.targets[tk] : null) }),
        el('td', { class: 'num', text: F.pct(m.achievement_pct) }),
        el('td', { class: 'num', text: F.pct(m.distance_covered_pct) }),
        el('td', { class: 'num strong', text: F.score(m.score) }),
        el('td', { class: 'text' }, [chip(m.status)])
      ]));
    });
  }

  // ------------------------------------------------------------------------------ commentary and actions
  // Rows of the payload's commentary / actions slots (filled by the plan's commentary and
  // actions tables, issue 11 items 1-2); a text missing in the reader's language says so.
  function slotRows(block, f) {
    return block.rows.map(function (r) { var o = {}; block.fields.forEach(function (k) { o[k] = r[f[k]]; }); return o; });
  }
  function localText(fa, en) {
    var mine = state.lang === 'fa' ? fa : en, other = state.lang === 'fa' ? en : fa;
    return mine || (other ? t('no_text_lang', { text: other }) : '');
  }
  // An action serves the indicators its indicator_id names (';'-separated); one without any
  // belongs to its department as a whole.
  function actionIndicators(a) { return String(a.indicator_id || '').split(';').filter(function (i) { return i; }); }
  function renderCommentary(box, keepNote, keepAction, always) {
    clear(box);
    var notes = slotRows(D.commentary, CF).filter(function (c) { return c.year === state.year && keepNote(c); });
    var actions = slotRows(D.actions, AF).filter(keepAction);
    box.hidden = !always && !notes.length && !actions.length;
    if (box.hidden) return;
    box.appendChild(el('h3', { text: t('commentary') }));
    if (!notes.length && !actions.length) box.appendChild(el('p', { class: 'empty', text: t('commentary_none') }));
    notes.forEach(function (c) {
      box.appendChild(el('p', { class: 'comment', 'data-kind': c.kind }, [
        el('strong', { text: label('commentary_kind', c.kind) + ': ' }), el('span', { dir: 'auto', text: localText(c.text_fa, c.text_en) })
      ]));
    });
    if (actions.length) {
      box.appendChild(el('ul', { class: 'actions' }, actions.map(function (a) {
        return el('li', { 'data-status': a.status, 'data-action': a.action_id, text: t('action_line', {
          title: localText(a.title_fa, a.title_en), status: label('action_status', a.status),
          progress: F.pct(a.progress_pct), due: F.year(a.due_year)
        }) });
      })));
    }
  }

  // ------------------------------------------------------------------------------ indicator page
  function horizonTarget(ind) {
    for (var k = D.target_years.length - 1; k >= 0; k--) {
      if (F.ok(ind.targets[k])) return { year: D.target_years[k], value: ind.targets[k] };
    }
    return null;
  }
  function indicatorSeries(ind) {
    var history = [];
    if (F.ok(ind.baseValue)) history.push({ year: ind.baseYear, value: ind.baseValue, baseline: true });
    D.years.forEach(function (y, k) {
      if (y <= state.year && F.ok(ind.actuals[k])) history.push({ year: y, value: ind.actuals[k], baseline: false });
    });
    var targets = [];
    D.target_years.forEach(function (y, k) { if (F.ok(ind.targets[k])) targets.push({ year: y, value: ind.targets[k] }); });
    var horizon = horizonTarget(ind);
    var m = measures(ind, state.year);
    if (ind.unit.en === '%') {  // a share cannot leave 0-100 %: draw only the possible part
      m.trend_low = F.ok(m.trend_low) ? Math.max(0, Math.min(100, m.trend_low)) : m.trend_low;
      m.trend_high = F.ok(m.trend_high) ? Math.max(0, Math.min(100, m.trend_high)) : m.trend_high;
    }
    return {
      year: state.year, history: history, targets: targets, horizon: horizon, measures: m, unit: ind.unit[state.lang],
      horizonYear: F.ok(ind.horizonYear) ? ind.horizonYear : (horizon ? horizon.year : null)
    };
  }
  function renderIndicator() {
    var view = $('indicator-view');
    var ind = IND_BY_ID[state.indicator];
    view.hidden = !ind;
    if (!ind) { purgeChart(); return; }
    var d = DEPTS[ind.dept], g = GOALS[ind.goal];
    var m = measures(ind, state.year);
    var back = clear($('ind-back'));
    // the arrow points the way the page reads (in words.js)
    back.appendChild(d ? el('a', { href: viewHref({ open: d.id }), text: t('back_to', { dept: d.name[state.lang] }) })
      : el('a', { href: viewHref({}), text: t('back_overview') }));
    var unit = ind.unit[state.lang];
    var title = clear($('ind-title'));
    title.appendChild(document.createTextNode(ind.name[state.lang] + (unit ? ' (' + unit + ')' : '') + ' '));
    title.appendChild(chip(m.status));
    caveatBadges(m.caveats).forEach(function (b) { title.appendChild(b); });
    $('ind-meta').textContent = t('ind_meta', {
      dept: d ? d.name[state.lang] : t('dash'), goal: g ? g.name[state.lang] : t('dash'), year: F.year(state.year)
    }) + ' · ' + ind.id;
    renderIndicatorFacts(ind, m);
    renderTabs();
    renderSeriesTable(ind);
    renderPassport(ind, d);
    renderNotes(ind);
    renderCommentary($('ind-commentary'), function (c) { return c.indicator_id === ind.id; },
      function (a) { return actionIndicators(a).indexOf(ind.id) >= 0; }, true);
    var dl = clear($('ind-downloads'));
    dl.appendChild(downloadBar(t('download_ind'), ind.id, [ind.i], D.years.filter(function (y) { return y <= state.year; })));
    if (state.tab === 'chart') drawChart(ind); else purgeChart();
  }
  function renderIndicatorFacts(ind, m) {
    var box = clear($('ind-facts'));
    var horizon = horizonTarget(ind);
    var s = indicatorSeries(ind);
    var trend = null;
    if (F.ok(m.trend_horizon_value)) {
      var text = F.num(m.trend_horizon_value);
      if (F.ok(m.trend_low) && F.ok(m.trend_high)) text += ' (' + t('interval', { low: F.num(s.measures.trend_low), high: F.num(s.measures.trend_high) }) + ')';
      trend = [t('trend_at', { year: F.year(s.horizonYear) }), text];
    }
    facts(box, [
      [t('status'), chip(m.status)],
      m.pace_status ? [t('pace'), label('pace_status', m.pace_status)] : null,
      [t('col_achievement'), F.pct(m.achievement_pct)],
      [t('col_distance'), F.pct(m.distance_covered_pct)],
      [t('col_score'), F.score(m.score)],
      horizon ? [t('horizon_target') + ' (' + F.year(horizon.year) + ')', F.num(horizon.value)] : null,
      trend,
      F.ok(m.trend_slope) ? [t('slope'), F.nf({ maximumSignificantDigits: 3, signDisplay: 'exceptZero' }).format(m.trend_slope) + ' ' + t('per_year')] : null,
      F.ok(m.p_reach_target) ? [t('p_reach'), F.pct(100 * m.p_reach_target)] : null,
      m.caveats.length ? [t('caveats'), caveatBadges(m.caveats)] : null
    ]);
  }
  function renderTabs() {
    ['chart', 'table'].forEach(function (tab) {
      var on = state.tab === tab;
      var button = $('tab-' + tab);
      button.setAttribute('aria-selected', on ? 'true' : 'false');
      button.tabIndex = on ? 0 : -1;
      $('panel-' + tab).hidden = !on;
    });
  }
  function renderSeriesTable(ind) {
    clear($('series-table').tHead).appendChild(el('tr', {}, [
      ['text', 'series_year'], ['num', 'series_actual'], ['num', 'series_target'], ['num', 'col_achievement'],
      ['text', 'col_status'], ['text', 'series_note']
    ].map(function (c) { return el('th', { scope: 'col', class: c[0], text: t(c[1]) }); })));
    var tbody = clear($('series-table').tBodies[0]);
    var years = [];
    [[ind.baseYear], D.target_years, D.years].forEach(function (list) {
      list.forEach(function (y) { if (F.ok(y) && years.indexOf(y) < 0) years.push(y); });
    });
    years.sort(function (a, b) { return a - b; });
    years.forEach(function (y) {
      var ak = D.years.indexOf(y), tk = D.target_years.indexOf(y);
      var reported = ak >= 0 && y <= state.year;
      var m = reported ? measures(ind, y) : null;
      var actual = y === ind.baseYear ? ind.baseValue : (reported ? ind.actuals[ak] : null);
      tbody.appendChild(el('tr', { 'data-year': String(y) }, [
        el('td', { class: 'text', text: F.year(y) + (y === ind.baseYear ? ' (' + t('legend_baseline') + ')' : '') }),
        el('td', { class: 'num', text: F.num(actual) }),
        el('td', { class: 'num', text: F.num(tk >= 0 ? ind.targets[tk] : null) }),
        el('td', { class: 'num', text: m ? F.pct(m.achievement_pct) : '' }),
        el('td', { class: 'text' }, m ? [chip(m.status)] : []),
        el('td', { class: 'text note', dir: 'auto', text: m ? m.note : '' })
      ]));
    });
  }
  function renderPassport(ind, d) {
    var box = clear($('ind-passport'));
    var p = ind.passport;
    function text(v) { return v ? v : el('span', { class: 'muted', text: t('pp_missing') }); }
    // the plan's own text (often Persian only) keeps its own direction in an English page
    facts(box, [
      [t('pp_definition'), text(p.definition), true],
      [t('pp_formula'), text(p.formula), true],
      [t('pp_source'), text(p.source), true],
      [t('pp_responsible'), text(p.responsible || (d ? d.name[state.lang] : '')), true],
      [t('pp_frequency'), text(label('frequency', p.frequency))],
      [t('pp_level'), text(label('level', p.level))],
      [t('pp_direction'), text(label('direction', ind.direction))],
      [t('pp_unit'), text(ind.unit[state.lang])],
      [t('pp_baseline', { year: F.year(ind.baseYear) }), F.num(ind.baseValue)]
    ]);
  }
  function renderNotes(ind) {
    var box = clear($('ind-notes'));
    var notes = D.years.filter(function (y) { return y <= state.year && measures(ind, y).note; });
    if (!notes.length) { box.appendChild(el('p', { class: 'empty', text: t('notes_none') })); return; }
    box.appendChild(el('ul', {}, notes.map(function (y) {
      return el('li', { 'data-year': String(y) }, [
        el('strong', { text: F.year(y) + ': ' }), el('span', { dir: 'auto', text: measures(ind, y).note })
      ]);
    })));
  }

  var chartToken = 0;
  function purgeChart() {
    var div = $('chart');
    if (window.Plotly && div.data) window.Plotly.purge(div);
    clear(div);
  }
  function drawChart(ind) {
    var token = ++chartToken;
    var div = $('chart');
    var fig = PM.chart.figure(indicatorSeries(ind), { lang: state.lang, t: t, f: F, width: div.clientWidth || 800 });
    div.setAttribute('aria-label', ind.name[state.lang]);
    $('chart-error').hidden = true;
    PM.chart.loadPlotly(ASSETS + '/plotly.min.js').then(function (Plotly) {
      if (token !== chartToken) return;  // the reader moved on while plotly.js loaded
      return Plotly.react(div, fig.data, fig.layout, {
        displaylogo: false, responsive: true, modeBarButtons: [['toImage']], toImageButtonOptions: { filename: ind.id }
      });
    }).catch(function () {
      $('chart-error').textContent = t('chart_failed');
      $('chart-error').hidden = false;
    });
  }

  // ------------------------------------------------------------------------------ districts compared
  function renderDistricts() {
    var box = $('districts-view');
    box.hidden = state.view !== 'districts' || !!state.indicator;
    if (box.hidden) return;
    $('districts-title').textContent = t('districts_title', { year: F.year(state.year) });
    var table = clear($('district-table'));
    var districts = D.districts.districts.map(function (k) { return DEPTS[k]; });
    $('districts-empty').hidden = HAS_DISTRICTS;
    var head = el('tr', {}, [el('th', { scope: 'col', class: 'text', text: t('col_indicator') })]);
    districts.forEach(function (d) { head.appendChild(el('th', { scope: 'col', class: 'num', text: d.name[state.lang] })); });
    table.appendChild(el('thead', {}, [head]));
    var body = el('tbody');
    D.districts.rows.forEach(function (g) {
      var name = state.lang === 'fa' ? (g[0] || g[1]) : (g[1] || g[0]);
      var tr = el('tr', {}, [el('th', { scope: 'row', class: 'text', text: name })]);
      districts.forEach(function (d) {
        var x = g[2].map(function (k) { return INDS[k]; }).filter(function (i) { return i.dept === d.i; })[0];
        if (!x) { tr.appendChild(el('td', { class: 'none' })); return; }
        var m = measures(x, state.year), yk = D.years.indexOf(state.year);
        var s = STATUSES[m.status];
        tr.appendChild(el('td', { class: 'num district-cell', 'data-ind': x.id, style: { borderInlineStartColor: s.colour } }, [
          el('a', { href: indicatorHref(x.id), text: F.num(x.actuals[yk]) + ' ' + (x.unit[state.lang] || '') }),
          el('span', { class: 'sub', text: t('col_achievement') + ' ' + F.pct(m.achievement_pct) }),
          chip(m.status)
        ]));
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
  }

  // ------------------------------------------------------------------------------ search
  var MAX_RESULTS = 12;
  function searchResults() {
    return INDS.filter(function (x) { return lib.matches(lib.queryKeys($('search').value), x.hay); });
  }
  function renderSearch() {
    var box = clear($('search-results'));
    var keys = lib.queryKeys($('search').value);
    box.hidden = !keys.length;
    $('search').setAttribute('aria-expanded', keys.length ? 'true' : 'false');
    if (!keys.length) return;
    var found = searchResults();
    if (!found.length) box.appendChild(el('li', { class: 'none', text: t('search_none') }));
    found.slice(0, MAX_RESULTS).forEach(function (x) {
      var d = DEPTS[x.dept];
      box.appendChild(el('li', { 'data-ind': x.id }, [
        // closed once the link has been followed (the hash change redraws the page)
        el('a', { href: indicatorHref(x.id), text: x.name[state.lang], onclick: function () { setTimeout(closeSearch, 0); } }),
        d ? el('span', { class: 'muted', text: d.name[state.lang] }) : null
      ]));
    });
    if (found.length > MAX_RESULTS) box.appendChild(el('li', { class: 'none', text: t('search_more', { n: F.count(found.length - MAX_RESULTS) }) }));
  }
  function closeSearch() { $('search').value = ''; renderSearch(); }

  // ------------------------------------------------------------------------------ main loop
  function render() {
    F = lib.formats(state.lang, t('dash'));
    var view = state.indicator ? 'indicator' : state.view === 'districts' ? 'districts' : (state.open ? 'department' : 'overview');
    document.body.setAttribute('data-view', view);
    renderStatic();
    renderFilters();
    renderBanner();
    $('link-note').hidden = !unknownIndicator;
    $('link-note').textContent = unknownIndicator ? t('unknown_indicator', { id: unknownIndicator }) : '';
    var overview = view === 'overview' || view === 'department';
    Array.prototype.forEach.call(document.querySelectorAll('.overview-part'), function (n) { n.hidden = !overview; });
    if (overview) {
      renderTiles();
      renderNotReported();
      renderReportNote();
      renderYearReports();
      var rows = sortedRows();
      renderTable(rows);
      renderDetail();
      renderHeat(rows);
      renderYearData();
    } else {
      $('detail').hidden = true;
    }
    renderIndicator();
    renderDistricts();
    renderSearch();
  }
  function update() { writeHash(); render(); }

  $('lang-switch').addEventListener('click', function () { state.lang = otherLang(); update(); });
  $('f-year').addEventListener('change', function (e) { state.year = parseInt(e.target.value, 10); update(); });
  $('f-kind').addEventListener('change', function (e) {
    state.kind = e.target.value;
    if (state.dept && DEPT_BY_ID[state.dept].kind !== state.kind && state.kind) state.dept = '';
    update();
  });
  $('f-dept').addEventListener('change', function (e) {
    state.dept = e.target.value;
    if (state.dept && !state.indicator && state.view !== 'districts') { openDept(state.dept, ''); } else { update(); }
  });
  $('f-reset').addEventListener('click', function () { state.kind = ''; state.dept = ''; update(); });
  $('detail-close').addEventListener('click', closeDept);
  ['chart', 'table'].forEach(function (tab) {
    $('tab-' + tab).addEventListener('click', function () { state.tab = tab; update(); });
    $('tab-' + tab).addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      state.tab = state.tab === 'chart' ? 'table' : 'chart';
      update();
      $('tab-' + state.tab).focus();
    });
  });
  $('search').addEventListener('input', renderSearch);
  $('search').addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { closeSearch(); return; }
    if (e.key !== 'Enter') return;
    var first = searchResults()[0];
    if (first) { e.preventDefault(); location.hash = indicatorHref(first.id); closeSearch(); }
  });
  window.addEventListener('hashchange', function () {
    readHash();
    render();
    if (state.indicator) window.scrollTo(0, 0);
  });

  readHash();
  render();
  performance.mark('rendered');
  document.body.setAttribute('data-ready', '1');
  // Fetch plotly.js once the page is drawn and the browser is idle, so the first chart opens
  // at once without delaying the first view.
  var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 200); };
  idle(function () { PM.chart.loadPlotly(ASSETS + '/plotly.min.js').catch(function () { /* reported when a chart is opened */ }); }, { timeout: 2000 });
})(window.planmon);
