// Draws each <figure class="chitieu-series" data-chart="..."> with Observable Plot, in the style of
// chart.js: one province's figures of one indicator code by year, coloured by measure. Every vintage
// is its own dot (a year's plan, its November estimate and the next year's actual stay apart); the
// newest vintage of each measure is filled and joined by a line, older ones are hollow. The table
// beside the figure is its text alternative.
(function () {
  "use strict";
  function draw(figure) {
    var spec = JSON.parse(figure.getAttribute("data-chart"));
    var holder = figure.querySelector(".chart-area");
    if (!spec.rows.length || !holder) return;
    var width = Math.max(280, Math.min(720, holder.clientWidth || 320));
    var offset = {};
    spec.measures.forEach(function (m, i) { offset[m] = (i - (spec.measures.length - 1) / 2) * 0.12; });
    var rows = spec.rows.map(function (d) { return Object.assign({x: d.period + offset[d.measure]}, d); });
    var latest = rows.filter(function (d) { return d.latest; });
    var older = rows.filter(function (d) { return !d.latest; });
    var title = function (d) { return d.measure + " " + d.period + ": " + d.printed + " (" + d.report + ")"; };
    var chart = Plot.plot({
      width: width,
      height: 240,
      marginLeft: 56,
      style: {fontSize: "12px", background: "transparent"},
      x: {label: spec.x_label, ticks: spec.periods, tickFormat: function (v) { return String(v); }},
      y: {label: spec.y_label, grid: true, tickFormat: function (v) { return v.toLocaleString(spec.locale); }},
      color: {domain: spec.measures, range: spec.colors, legend: true},
      marks: [
        Plot.line(latest, {x: "x", y: "value", stroke: "measure", z: "measure", strokeOpacity: 0.6}),
        Plot.dot(older, {x: "x", y: "value", stroke: "measure", fill: "white", r: 4, strokeWidth: 1.5, title: title}),
        Plot.dot(latest, {x: "x", y: "value", stroke: "measure", fill: "measure", r: 4, title: title})
      ]
    });
    chart.querySelectorAll("[aria-label]").forEach(function (el) { el.removeAttribute("aria-label"); });
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", spec.label);
    holder.replaceChildren(chart);
  }
  function start() {
    document.querySelectorAll("figure.chitieu-series[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
