(function () {
  "use strict";
  var box = document.getElementById("page-filter");
  if (box) {
    var input = box.querySelector("input");
    var shown = box.querySelector(".shown");
    var items = document.querySelectorAll("[data-search]");
    var rows = document.querySelectorAll("tr[data-search]").length > 0;
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var count = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-search");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match && (!rows || item.tagName === "TR")) { count += 1; }
      });
      shown.textContent = words.length ? count + (count === 1 ? " page matches" : " pages match") : "";
    });
  }
  var index = document.getElementById("page-index");
  if (index) {
    var body = index.tBodies[0];
    var heads = index.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = th.querySelector("button.sort");
      if (!button) { return; }
      // a button: reachable with Tab, pressed with Enter or Space; the heading says how the table is sorted
      button.addEventListener("click", function () {
        var numeric = th.classList.contains("num");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          var px = parseFloat(x), py = parseFloat(y);
          var order = numeric ? (isNaN(px) ? -1 : px) - (isNaN(py) ? -1 : py) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
