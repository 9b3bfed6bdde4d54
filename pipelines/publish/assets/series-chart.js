// Draws each <figure class="chitieu-series" data-chart="..."> (plot-figure.js): one province's
// figures of one indicator code by year, coloured by measure. Every vintage is its own dot (a
// year's plan, its November estimate and the next year's actual stay apart); the newest vintage of
// each measure is filled and joined by a line, older ones are hollow.
chitieuPlot("figure.chitieu-series[data-chart]", 240, function (spec) {
  "use strict";
  var offset = {};
  spec.measures.forEach(function (m, i) { offset[m] = (i - (spec.measures.length - 1) / 2) * 0.12; });
  var rows = spec.rows.map(function (d) { return Object.assign({x: d.period + offset[d.measure]}, d); });
  var latest = rows.filter(function (d) { return d.latest; });
  var older = rows.filter(function (d) { return !d.latest; });
  var title = function (d) { return d.measure + " " + d.period + ": " + d.printed + " (" + d.report + ")"; };
  return {
    x: {label: spec.x_label, ticks: spec.periods, tickFormat: function (v) { return String(v); }},
    marks: [
      Plot.line(latest, {x: "x", y: "value", stroke: "measure", z: "measure", strokeOpacity: 0.6}),
      Plot.dot(older, {x: "x", y: "value", stroke: "measure", fill: "white", r: 4, strokeWidth: 1.5, title: title}),
      Plot.dot(latest, {x: "x", y: "value", stroke: "measure", fill: "measure", r: 4, title: title})
    ]
  };
});
