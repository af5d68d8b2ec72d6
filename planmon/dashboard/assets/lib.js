/* planmon dashboard: pure helpers with Python twins (tested against them in the browser).
 *
 *   nameKey       planmon.core.text.name_key (Persian spelling variants compare equal)
 *   matches       the search box's rule on top of nameKey
 *   downloadRows  planmon.dashboard.downloads.download_rows (the data behind a view)
 *   csvText       CSV for Excel: UTF-8 BOM, CRLF, formula-safe like planmon.io.excel.safe_cell
 *   formats       number formatting (to follow planmon.core.locale)
 * Nothing here touches the page.
 */
(function (PM) {
  'use strict';

  // ------------------------------------------------------------------ Persian normalisation
  // name_key: NFC, Arabic ي/ى/ك as Persian ی/ک (persiantools.characters.ar_to_fa), Arabic-Indic
  // and Persian digits as ASCII, tatweel and harakat dropped, then everything that is not a
  // letter or a digit (ZWNJ, spaces, punctuation, bidi marks), then case folded.
  var TATWEEL = /\u0640/g;
  var DIACRITICS = /[\u064b-\u065f\u0670]/g;
  var NOT_WORD = /[^\p{L}\p{N}]+/gu;
  var ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
  var PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

  function asciiDigits(text) {
    return text.replace(/[٠-٩۰-۹]/g, function (c) {
      var k = PERSIAN.indexOf(c);
      return String(k >= 0 ? k : ARABIC_INDIC.indexOf(c));
    });
  }
  // str.casefold for the letters where it differs from toLowerCase in names we meet
  function casefold(text) { return text.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ'); }

  function nameKey(value) {
    if (value === null || value === undefined) return '';
    var text = String(value).normalize('NFC');
    text = text.replace(/[يى]/g, 'ی').replace(/ك/g, 'ک');
    text = asciiDigits(text).replace(TATWEEL, '').replace(DIACRITICS, '');
    return casefold(text.replace(NOT_WORD, ''));
  }

  // A query matches when each of its words (split at spaces and ZWNJ) is part of the key of
  // one of the texts; so word order and ZWNJ/space/none do not matter. haystack() joins the
  // texts' keys once (a space never occurs inside a key).
  function queryKeys(query) {
    return String(query || '').split(/[\s\u200c]+/).map(nameKey).filter(function (k) { return k; });
  }
  function haystack(texts) { return texts.map(nameKey).join(' '); }
  function matches(keys, hay) {
    return keys.length > 0 && keys.every(function (k) { return hay.indexOf(k) >= 0; });
  }

  // ------------------------------------------------------------------ downloads
  // planmon.io.excel.FORMULA_TRIGGERS: what makes a spreadsheet evaluate a cell.
  var TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uff1d', '\uff0b', '\uff0d', '\uff20'];
  function safeText(text) {
    var first = text.replace(/^[ \u00a0]+/, '').charAt(0);
    return first && TRIGGERS.indexOf(first) >= 0 ? "'" + text : text;
  }
  function csvCell(value) {
    if (value === null || value === undefined) return '';
    var text = typeof value === 'number' ? (isFinite(value) ? String(value) : '') : safeText(String(value));
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csvText(header, rows) {
    var lines = [header].concat(rows).map(function (r) { return r.map(csvCell).join(','); });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  function fieldIndex(block) {
    var idx = {};
    block.fields.forEach(function (f, k) { idx[f] = k; });
    return idx;
  }
  // Rows of DOWNLOAD_FIELDS (D.download_fields) for indicator positions and years, exactly as
  // planmon.dashboard.downloads.download_rows makes them for the XLSX files.
  function downloadRows(D, indicators, years) {
    var fi = fieldIndex(D.indicators), fm = fieldIndex(D.ind_years);
    var rows = [];
    years.slice().sort(function (a, b) { return a - b; }).forEach(function (year) {
      var ak = D.years.indexOf(year), tk = D.target_years.indexOf(year);
      indicators.forEach(function (k) {
        var ind = D.indicators.rows[k], m = D.ind_years.rows[String(year)][k];
        var dept = ind[fi.dept] >= 0 ? D.depts.rows[ind[fi.dept]] : ['', '', '', ''];
        var row = [
          year, dept[0], dept[2], dept[3],
          ind[fi.id], ind[fi.name_fa], ind[fi.name_en], ind[fi.unit_fa], ind[fi.unit_en],
          ind[fi.direction], ind[fi.baseline_year], ind[fi.baseline_value],
          ind[fi.actuals][ak], tk >= 0 ? ind[fi.targets][tk] : null,
          m[fm.achievement_pct], m[fm.distance_covered_pct], m[fm.score],
          D.statuses[m[fm.status]].id, m[fm.pace_status], m[fm.caveats].join(';'), m[fm.note]
        ];
        rows.push(row.map(function (v) { return v === '' || v === undefined ? null : v; }));
      });
    });
    return rows;
  }

  // ------------------------------------------------------------------ number formatting
  // Three significant digits below 1000, whole numbers above (planmon.content.interpret).
  function formats(lang, dash) {
    var cache = {};
    function nf(options) {
      var key = JSON.stringify(options);
      if (!cache[key]) cache[key] = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US', options);
      return cache[key];
    }
    function ok(x) { return typeof x === 'number' && isFinite(x); }
    return {
      ok: ok,
      nf: nf,
      num: function (x) {
        if (!ok(x)) return dash;
        return Math.abs(x) >= 1000 ? nf({ maximumFractionDigits: 0 }).format(x)
          : nf({ maximumSignificantDigits: 3 }).format(x);
      },
      pct: function (x) {
        if (!ok(x)) return dash;
        var text = Math.abs(x) >= 100 ? nf({ maximumFractionDigits: 0 }).format(x)
          : nf({ maximumSignificantDigits: 2, maximumFractionDigits: 1 }).format(x);
        return text + (lang === 'fa' ? '٪' : '%');
      },
      score: function (x) {
        return ok(x) ? nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x) : dash;
      },
      signed: function (x) {
        return ok(x) ? nf({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(x) : dash;
      },
      year: function (y) { return ok(y) ? nf({ useGrouping: false }).format(y) : dash; },
      count: function (n) { return ok(n) ? nf({}).format(n) : dash; },
      fixed: function (v, decimals) {
        return nf({ minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
      }
    };
  }

  PM.lib = {
    nameKey: nameKey, queryKeys: queryKeys, haystack: haystack, matches: matches,
    safeText: safeText, csvText: csvText, downloadRows: downloadRows,
    fieldIndex: fieldIndex, formats: formats
  };
})(window.planmon = window.planmon || {});
