// Draws each <figure class="chitieu-chart" data-chart="..."> (plot-figure.js): an indicator's
// figures by year and measure, in one unit, as bars grouped by year.
chitieuPlot("figure.chitieu-chart[data-chart]", 260, function (spec) {
  "use strict";
  return {
    fx: {label: spec.x_label, padding: 0.15},
    x: {axis: null, domain: spec.measures},
    marks: [
      Plot.barY(spec.rows, {fx: "period", x: "measure", y: "value", fill: "measure", className: "bars",
                            title: function (d) { return d.measure + " " + d.period + ": " + d.printed; }}),
      Plot.ruleY([0])
    ]
  };
});
