// memwall site: sortable and filterable tables, no dependencies, no network.
"use strict";
(function () {
  function cellKey(row, index) {
    var cell = row.cells[index];
    return cell ? cell.getAttribute("data-sort") || "" : "";
  }

  function compare(a, b, numeric) {
    // Empty values sort last whichever the direction.
    if (a === "" || b === "") return a === b ? 0 : (a === "" ? 1 : -1);
    if (numeric) return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, th) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(th);
    var numeric = th.getAttribute("data-type") === "num";
    var descending = th.getAttribute("aria-sort") === "ascending";
    headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: cellKey(row, index), i: i };
    });
    rows.sort(function (x, y) {
      var empty = x.key === "" || y.key === "";
      var c = compare(x.key, y.key, numeric);
      if (descending && !empty) c = -c;
      return c || x.i - y.i;  // stable
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function filter(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      rows[i].hidden = !match;
      if (match) shown++;
    }
    var count = document.querySelector('[data-count-for="' + table.id + '"]');
    if (count) count.textContent = shown + " of " + rows.length + (rows.length === 1 ? " row" : " rows");
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(table, th); });
    });
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () { filter(input); });
    if (input.value) filter(input);
  });
})();
