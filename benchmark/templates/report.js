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
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
