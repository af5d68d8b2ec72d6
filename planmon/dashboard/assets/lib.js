/* planmon dashboard: pure helpers (tested in the browser, nameKey against its Python twin).
 *
 *   nameKey       planmon.core.text.name_key (Persian spelling variants compare equal)
 *   matches       the search box's rule on top of nameKey
 *   downloadRows  the data behind a view, one row per indicator and year (DOWNLOAD_FIELDS)
 *   csvText       CSV for Excel: UTF-8 BOM, CRLF, formula-safe like planmon.io.excel.safe_cell
 *   xlsxBytes     a minimal .xlsx workbook of the same rows, as safe
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

  // A minimal Office Open XML workbook (.xlsx): one sheet "data", header row frozen, numbers
  // as numbers, text as inline strings. A cell is a formula only with an <f> element, which
  // is never written; text is also prefixed like safe_cell, so a re-save as CSV stays inert.
  // The package is a zip with stored (uncompressed) entries and a fixed date, so the same
  // rows always give the same bytes.
  var NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  var NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  var NS_PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  var NS_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types';
  var XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  function xmlText(text) {
    // characters XML 1.0 cannot carry are dropped; the five special ones escaped
    return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function column(k) {
    var name = '';
    for (k += 1; k > 0; k = Math.floor((k - 1) / 26)) name = String.fromCharCode(65 + (k - 1) % 26) + name;
    return name;
  }
  function sheetXml(header, rows) {
    var out = [XML_HEAD, '<worksheet xmlns="', NS_MAIN, '"><sheetViews><sheetView workbookViewId="0">',
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'];
    [header].concat(rows).forEach(function (row, r) {
      out.push('<row r="' + (r + 1) + '">');
      row.forEach(function (v, c) {
        var ref = column(c) + (r + 1);
        if (typeof v === 'number' && isFinite(v)) out.push('<c r="' + ref + '"><v>' + String(v) + '</v></c>');
        else if (v !== null && v !== undefined && typeof v !== 'number') {
          out.push('<c r="' + ref + '" t="inlineStr"><is><t xml:space="preserve">' + xmlText(safeText(String(v))) + '</t></is></c>');
        }
      });
      out.push('</row>');
    });
    out.push('</sheetData></worksheet>');
    return out.join('');
  }
  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();
  function crc32(bytes) {
    var crc = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }
  // Stored zip (PKWARE APPNOTE 4.3): local headers, then the central directory, then its end.
  function zip(files) {
    var enc = new TextEncoder(), parts = [], central = [], offset = 0;
    function le(size, value) {
      var b = new Uint8Array(size);
      for (var i = 0; i < size; i++) b[i] = (value >>> (8 * i)) & 0xFF;
      return b;
    }
    var DOS_DATE = (0 << 9) | (1 << 5) | 1;  // 1980-01-01, time 00:00
    files.forEach(function (f) {
      var name = enc.encode(f[0]), data = enc.encode(f[1]), crc = crc32(data);
      var common = [le(2, 20), le(2, 0), le(2, 0), le(2, 0), le(2, DOS_DATE), le(4, crc),
        le(4, data.length), le(4, data.length), le(2, name.length), le(2, 0)];
      var local = [le(4, 0x04034b50)].concat(common, [name, data]);
      central.push([le(4, 0x02014b50), le(2, 20)].concat(common,
        [le(2, 0), le(2, 0), le(2, 0), le(4, 0), le(4, offset), name]));
      local.forEach(function (b) { parts.push(b); offset += b.length; });
    });
    var size = 0;
    central.forEach(function (entry) { entry.forEach(function (b) { parts.push(b); size += b.length; }); });
    [le(4, 0x06054b50), le(2, 0), le(2, 0), le(2, files.length), le(2, files.length), le(4, size),
      le(4, offset), le(2, 0)].forEach(function (b) { parts.push(b); });
    var total = parts.reduce(function (n, b) { return n + b.length; }, 0);
    var out = new Uint8Array(total), at = 0;
    parts.forEach(function (b) { out.set(b, at); at += b.length; });
    return out;
  }
  function xlsxBytes(header, rows) {
    var rel = function (id, type, target) {
      return '<Relationship Id="' + id + '" Type="' + NS_REL + '/' + type + '" Target="' + target + '"/>';
    };
    return zip([
      ['[Content_Types].xml', XML_HEAD + '<Types xmlns="' + NS_TYPES + '">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '</Types>'],
      ['_rels/.rels', XML_HEAD + '<Relationships xmlns="' + NS_PKG + '">' + rel('rId1', 'officeDocument', 'xl/workbook.xml') + '</Relationships>'],
      ['xl/workbook.xml', XML_HEAD + '<workbook xmlns="' + NS_MAIN + '" xmlns:r="' + NS_REL + '"><sheets>' +
        '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'],
      ['xl/_rels/workbook.xml.rels', XML_HEAD + '<Relationships xmlns="' + NS_PKG + '">' + rel('rId1', 'worksheet', 'worksheets/sheet1.xml') + '</Relationships>'],
      ['xl/worksheets/sheet1.xml', sheetXml(header, rows)]
    ]);
  }

  function fieldIndex(block) {
    var idx = {};
    block.fields.forEach(function (f, k) { idx[f] = k; });
    return idx;
  }
  // Rows of DOWNLOAD_FIELDS (D.download_fields, planmon.dashboard.payload) for indicator
  // positions and years: years ascending, then the plan's order; blank cells are null.
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
    safeText: safeText, csvText: csvText, xlsxBytes: xlsxBytes, downloadRows: downloadRows,
    fieldIndex: fieldIndex, formats: formats
  };
})(window.planmon = window.planmon || {});
