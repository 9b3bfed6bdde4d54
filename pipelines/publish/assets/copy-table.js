// "Copy as table": the table of rows as shown, tab-separated, onto the clipboard, so that it pastes
// into a spreadsheet as cells. Columns marked data-copy-skip (the row links) are left out.
(function () {
  "use strict";
  function text(cell) {
    return cell.innerText.replace(/\s+/g, " ").trim();
  }
  function tsv(table) {
    return Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.filter.call(row.cells, function (cell) {
        return !cell.hasAttribute("data-copy-skip");
      }).map(text).join("\t");
    }).join("\n") + "\n";
  }
  function start() {
    document.querySelectorAll("button[data-copy-table]").forEach(function (button) {
      var bar = button.closest(".copy-table-bar");
      var table = bar && bar.nextElementSibling && bar.nextElementSibling.querySelector("table");
      var status = bar && bar.querySelector(".copy-table-status");
      if (!table || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(tsv(table)).then(function () {
          if (status) status.textContent = (table.rows.length - 1) + " dòng đã sao chép / rows copied";
        }, function () {
          if (status) status.textContent = "Không sao chép được / could not copy";
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
