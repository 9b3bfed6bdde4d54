// Draws each <figure class="chitieu-chart" data-chart="..."> with Observable Plot: an indicator's
// figures by year and measure, in one unit. The table beside the figure is its text alternative.
(function () {
  "use strict";
  function draw(figure) {
    var spec = JSON.parse(figure.getAttribute("data-chart"));
    var holder = figure.querySelector(".chart-area");
    if (!spec.rows.length || !holder) return;
    var width = Math.max(280, Math.min(720, holder.clientWidth || 320));
    var chart = Plot.plot({
      width: width,
      height: 260,
      marginLeft: 56,
      style: {fontSize: "12px", background: "transparent"},
      fx: {label: spec.x_label, padding: 0.15},
      x: {axis: null, domain: spec.measures},
      y: {label: spec.y_label, grid: true, tickFormat: function (v) { return v.toLocaleString(spec.locale); }},
      color: {domain: spec.measures, range: spec.colors, legend: true},
      marks: [
        Plot.barY(spec.rows, {fx: "period", x: "measure", y: "value", fill: "measure", className: "bars",
                              title: function (d) { return d.measure + " " + d.period + ": " + d.printed; }}),
        Plot.ruleY([0])
      ]
    });
    // The figure is one image for assistive technology, named by its label; the table beside it
    // carries the numbers. Plot's per-mark labels would be read as unnamed groups.
    chart.querySelectorAll("[aria-label]").forEach(function (el) { el.removeAttribute("aria-label"); });
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", spec.label);
    holder.replaceChildren(chart);
  }
  function start() {
    document.querySelectorAll("figure.chitieu-chart[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
