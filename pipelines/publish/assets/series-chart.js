// The series page's figures arrive once, as JSON in <script id="series-data"> (columns named in
// its "columns"; a figure's report is a key of its "reports": address, id, date, source view). For each province this draws the table of its figures (the chart's text
// alternative: flagged figures marked, each linked to its report and source) and, with
// plot-figure.js, its chart by year, coloured by measure. Every vintage is its own dot (a year's
// plan, its November estimate and the next year's actual stay apart); the newest vintage of each
// measure is filled and joined by a line, older ones are hollow; flagged figures are not drawn.
(function () {
  "use strict";
  var holder = document.getElementById("series-data");
  if (!holder) return;
  var data = JSON.parse(holder.textContent);
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  // The site's number rule (dot thousands, comma decimals, up to six decimals).
  var number = new Intl.NumberFormat(data.locale, {maximumFractionDigits: 6});
  function shown(value) { return value === null ? "" : number.format(value); }

  function cell(row, content) {
    var td = document.createElement("td");
    if (content) td.append(content);
    row.append(td);
    return td;
  }
  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) a.className = className;
    return a;
  }
  function fillTable(tbody, rows) {
    var fragment = document.createDocumentFragment();
    rows.forEach(function (f) {
      var tr = document.createElement("tr");
      var review = f[col.review];
      var report = data.reports[f[col.report]];
      cell(tr, String(f[col.period]));
      cell(tr, data.measures[f[col.measure]] || f[col.measure]);
      var value = cell(tr, shown(f[col.value]));
      if (review) {
        tr.className = "flagged";
        var mark = document.createElement("span");
        mark.className = "flag-mark";
        mark.title = review;
        mark.textContent = "⚑ cần xem lại / flagged";
        value.append(" ", mark);
      }
      cell(tr, f[col.printed]);
      cell(tr, f[col.latest] ? "có / yes" : "");
      var where = cell(tr, link(report[0], report[1]));
      where.append(" (" + report[2] + ")");
      // The source view sends ?ref= on to the figure's place (one rule, on the server).
      var ref = f[col.source_ref];
      cell(tr, report[3] && ref ? link(report[3] + "?ref=" + encodeURIComponent(ref), ref, "source-link") : null);
      fragment.append(tr);
    });
    tbody.replaceChildren(fragment);
  }

  function spec(index) {
    var province = data.provinces[index];
    var rows = province.rows
      .filter(function (f) { return f[col.value] !== null && !f[col.review]; })
      .map(function (f) {
        return {
          period: f[col.period],
          measure: data.measures[f[col.measure]] || f[col.measure],
          value: f[col.value],
          printed: f[col.printed] || shown(f[col.value]),
          report: data.reports[f[col.report]][1] + ", " + data.reports[f[col.report]][2],
          latest: Boolean(f[col.latest])
        };
      });
    var codes = Object.keys(data.measures);
    return {
      rows: rows,
      periods: Array.from(new Set(rows.map(function (r) { return r.period; }))).sort(),
      measures: codes.map(function (m) { return data.measures[m]; }),
      colors: codes.map(function (m) { return data.colors[m]; }),
      x_label: data.x_label,
      y_label: data.unit || null,
      locale: data.locale,
      label: data.name + ", " + province.province + ": " + rows.length + " số liệu / figures (" + data.unit + ")"
    };
  }

  document.querySelectorAll("table[data-province]").forEach(function (table) {
    fillTable(table.tBodies[0], data.provinces[Number(table.dataset.province)].rows);
  });
  chitieuPlot("figure.chitieu-series[data-province]", 240, function (s) {
    var offset = {};
    s.measures.forEach(function (m, i) { offset[m] = (i - (s.measures.length - 1) / 2) * 0.12; });
    var rows = s.rows.map(function (d) { return Object.assign({x: d.period + offset[d.measure]}, d); });
    var latest = rows.filter(function (d) { return d.latest; });
    var older = rows.filter(function (d) { return !d.latest; });
    var title = function (d) { return d.measure + " " + d.period + ": " + d.printed + " (" + d.report + ")"; };
    return {
      x: {label: s.x_label, ticks: s.periods, tickFormat: function (v) { return String(v); }},
      marks: [
        Plot.line(latest, {x: "x", y: "value", stroke: "measure", z: "measure", strokeOpacity: 0.6}),
        Plot.dot(older, {x: "x", y: "value", stroke: "measure", fill: "white", r: 4, strokeWidth: 1.5, title: title}),
        Plot.dot(latest, {x: "x", y: "value", stroke: "measure", fill: "measure", r: 4, title: title})
      ]
    };
  }, function (figure) { return spec(Number(figure.dataset.province)); });
})();
