// What chart.js and series-chart.js share: each <figure> matching a selector is drawn from its spec
// (its data-chart attribute, or what ``specOf`` makes of the figure) with Observable Plot at the width of its box (phone to desktop), in the site's style, the
// y axis in the page's number style and the measures in their colours. The figure is one image
// for assistive technology, named by its label; the table beside it is its text alternative.
(function () {
  "use strict";
  window.chitieuPlot = function (selector, height, build, specOf) {
    function draw(figure) {
      var spec = specOf ? specOf(figure) : JSON.parse(figure.getAttribute("data-chart"));
      var holder = figure.querySelector(".chart-area");
      if (!spec.rows.length || !holder) return;
      var chart = Plot.plot(Object.assign({
        width: Math.max(280, Math.min(720, holder.clientWidth || 320)),
        height: height,
        marginLeft: 56,
        style: {fontSize: "12px", background: "transparent"},
        y: {label: spec.y_label, grid: true, tickFormat: function (v) { return v.toLocaleString(spec.locale); }},
        color: {domain: spec.measures, range: spec.colors, legend: true}
      }, build(spec)));
      // Plot's per-mark labels would be read as unnamed groups.
      chart.querySelectorAll("[aria-label]").forEach(function (el) { el.removeAttribute("aria-label"); });
      chart.setAttribute("role", "img");
      chart.setAttribute("aria-label", spec.label);
      holder.replaceChildren(chart);
    }
    function start() {
      document.querySelectorAll(selector).forEach(draw);
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  };
})();
