// Accessible names for the form controls Datasette renders without a label (table filters, sort,
// the SQL editor), so that screen readers announce what each one is for.
(function () {
  "use strict";
  var names = {
    _filter_column: "Cột để lọc / Column to filter",
    _filter_op: "Điều kiện lọc / Filter condition",
    _filter_value: "Giá trị lọc / Filter value",
    _sort: "Sắp xếp theo / Sort by",
    _sort_by_desc: "Giảm dần / Descending",
    _search: "Tìm kiếm / Search",
    sql: "Câu lệnh SQL / SQL query"
  };
  function name(el) {
    if ((el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return;
    var key = (el.getAttribute("name") || el.id || "").replace(/_\d+$/, "");
    if (!key && el.closest(".CodeMirror")) key = "sql";
    var text = names[key] || (el.id === "sort_by" ? names._sort : "") || key;
    if (text) el.setAttribute("aria-label", text);
  }
  function start() {
    document.querySelectorAll("input:not([type=hidden]):not([type=submit]), select, textarea").forEach(name);
  }
  // Again once the page has loaded: the SQL editor adds its own textarea late.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("load", start);
})();
