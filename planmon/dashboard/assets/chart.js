/* planmon dashboard: an indicator's chart (plotly.js figure) and the lazy loading of plotly.
 *
 * figure(series, c) returns {data, layout} for Plotly.react from an indicator's series (see
 * app.js: indicatorSeries) and a context c = {lang, t (words), f (formats)}. Same colours and
 * marks as the PDF reports' charts (planmon.content.charts).
 */
(function (PM) {
  'use strict';

  var COLOUR = { actual: '#1F4E79', target: '#5F5F5F', trend: '#7B4FA0', star: '#FFD23F', ref: '#333333' };
  var FONTS = {
    fa: '"Vazirmatn", "Noto Sans Arabic", "DejaVu Sans", Tahoma, sans-serif',
    en: '"DejaVu Sans", "Segoe UI", Tahoma, "Noto Sans Arabic", sans-serif'
  };

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
  function svgText(lang, s) { return lang === 'fa' && s ? '\u2067' + s + '\u2069' : s; }

  function traces(s, c) {
    var t = c.t, f = c.f;
    function txt(x) { return svgText(c.lang, x); }
    function label(name, p) { return txt(name + ' ' + f.year(p.year) + ': ' + f.num(p.value)); }
    var data = [], ys = [];
    if (s.targets.length) {
      var path = s.targets.slice();
      if (s.history.length && s.history[0].baseline && s.history[0].year < path[0].year) path.unshift(s.history[0]);
      data.push({
        type: 'scatter', mode: 'lines+markers', name: txt(t('legend_targets')),
        x: path.map(function (p) { return p.year; }), y: path.map(function (p) { return p.value; }),
        text: path.map(function (p) { return label(t('series_target'), p); }), hovertemplate: '%{text}<extra></extra>',
        line: { color: COLOUR.target, width: 1.4, dash: 'dash' },
        marker: { color: '#ffffff', size: 7, line: { color: COLOUR.target, width: 1.4 } }
      });
      path.forEach(function (p) { ys.push(p.value); });
    }
    var last = s.history.length ? s.history[s.history.length - 1] : null;
    var m = s.measures, hy = s.horizonYear;
    if (last && f.ok(m.trend_horizon_value) && f.ok(hy) && hy > last.year) {
      // As in the PDF charts: the projection runs from the last reported value to the trend's
      // value at the horizon; the band widens to the 95 % prediction interval there.
      if (f.ok(m.trend_low) && f.ok(m.trend_high)) {
        data.push({
          type: 'scatter', mode: 'lines', name: txt(t('legend_interval')), fill: 'toself',
          x: [last.year, hy, hy, last.year], y: [last.value, m.trend_low, m.trend_high, last.value],
          fillcolor: 'rgba(123,79,160,0.16)', line: { width: 0, color: COLOUR.trend }, hoverinfo: 'skip'
        });
        ys.push(m.trend_low, m.trend_high);
      }
      data.push({
        type: 'scatter', mode: 'lines', name: txt(t('legend_trend')),
        x: [last.year, hy], y: [last.value, m.trend_horizon_value],
        text: ['', label(t('legend_trend'), { year: hy, value: m.trend_horizon_value })],
        hovertemplate: '%{text}<extra></extra>', line: { color: COLOUR.trend, width: 1.8, dash: 'dashdot' }
      });
      ys.push(m.trend_horizon_value);
    }
    if (s.history.length) {
      var h = s.history;
      data.push({
        type: 'scatter', mode: 'lines+markers', name: txt(t('legend_actual')),
        x: h.map(function (p) { return p.year; }), y: h.map(function (p) { return p.value; }),
        text: h.map(function (p) { return label(p.baseline ? t('legend_baseline') : t('series_actual'), p); }),
        hovertemplate: '%{text}<extra></extra>',
        line: { color: COLOUR.actual, width: 2.4 }, marker: { color: COLOUR.actual, size: 8 }
      });
      h.forEach(function (p) { ys.push(p.value); });
      if (h[0].baseline) {
        data.push({
          type: 'scatter', mode: 'markers', name: txt(t('legend_baseline') + ' (' + f.year(h[0].year) + ')'),
          x: [h[0].year], y: [h[0].value], text: [label(t('legend_baseline'), h[0])], hovertemplate: '%{text}<extra></extra>',
          marker: { symbol: 'square', size: 11, color: '#ffffff', line: { color: COLOUR.actual, width: 2 } }
        });
      }
    }
    if (s.horizon) {
      data.push({
        type: 'scatter', mode: 'markers', name: txt(t('legend_horizon') + ' (' + f.year(s.horizon.year) + ')'),
        x: [s.horizon.year], y: [s.horizon.value], text: [label(t('legend_horizon'), s.horizon)],
        hovertemplate: '%{text}<extra></extra>',
        marker: { symbol: 'star', size: 18, color: COLOUR.star, line: { color: COLOUR.ref, width: 1 } }
      });
    }
    return { data: data, ys: ys };
  }

  function figure(s, c) {
    var built = traces(s, c), data = built.data, ys = built.ys, f = c.f;
    var xs = [];
    data.forEach(function (tr) { tr.x.forEach(function (x) { xs.push(x); }); tr.cliponaxis = false; });
    var x0 = Math.min.apply(null, xs.length ? xs : [s.year]);
    var x1 = Math.max.apply(null, xs.length ? xs : [s.year]);
    var xt = [];
    for (var y = x0; y <= x1; y++) xt.push(y);
    var lo = ys.length ? Math.min.apply(null, ys) : 0;
    var hi = ys.length ? Math.max.apply(null, ys) : 1;
    var pad = (hi - lo) * 0.04;  // keep the markers at the extremes off the frame
    var nt = niceTicks(lo - pad, hi + pad, 5);
    var rtl = c.lang === 'fa';
    var narrow = c.width < 560;
    var layout = {
      font: { family: FONTS[c.lang], size: narrow ? 11 : 13, color: '#222222' },
      height: narrow ? 340 : 380,
      margin: { t: 16, b: narrow ? 120 : 90, l: rtl ? 16 : (narrow ? 48 : 70), r: rtl ? (narrow ? 48 : 70) : 16 },
      paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff',
      showlegend: true,
      legend: { orientation: 'h', x: rtl ? 1 : 0, xanchor: rtl ? 'right' : 'left', y: -0.16, yanchor: 'top' },
      hovermode: 'closest',
      hoverlabel: { font: { family: FONTS[c.lang] } },
      xaxis: {
        tickmode: 'array', tickvals: xt, ticktext: xt.map(f.year), range: [x0 - 0.4, x1 + 0.4],
        showgrid: false, zeroline: false, fixedrange: true, linecolor: '#999999'
      },
      yaxis: {
        tickmode: 'array', tickvals: nt.ticks, ticktext: nt.ticks.map(function (v) { return f.fixed(v, nt.decimals); }),
        range: [nt.ticks[0], nt.ticks[nt.ticks.length - 1]], side: rtl ? 'right' : 'left',
        title: { text: svgText(c.lang, s.unit || '') }, gridcolor: '#e6e6e6', zeroline: false, fixedrange: true
      }
    };
    return { data: data, layout: layout };
  }

  var plotlyPromise = null;
  function loadPlotly(src) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = src;
        script.onload = function () { window.Plotly ? resolve(window.Plotly) : reject(new Error('Plotly missing')); };
        script.onerror = function () { plotlyPromise = null; reject(new Error('cannot load ' + src)); };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
  }

  PM.chart = { figure: figure, loadPlotly: loadPlotly, fonts: FONTS };
})(window.planmon = window.planmon || {});
