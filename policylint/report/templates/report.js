
/* Optional enhancements; the report works without them. */
(function () {
  "use strict";
  var controls = document.querySelector(".controls");
  var toggle = document.getElementById("only-failures");
  if (controls && toggle) {
    controls.hidden = false;
    toggle.addEventListener("change", function () {
      document.body.classList.toggle("only-failures", toggle.checked);
    });
  }
  /* Printing shows every folded detail. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
  });
  /* Clicking an evidence link: the browser scrolls to the first line (#f0-L12);
     here every line of the evidence lights up and the first one takes focus. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-end]") : null;
    var match = link ? /^#(f\d+)-L(\d+)$/.exec(link.getAttribute("href")) : null;
    if (!match) { return; }
    document.querySelectorAll("tr.flash").forEach(function (row) { row.classList.remove("flash"); });
    for (var n = Number(match[2]); n <= Number(link.getAttribute("data-end")); n += 1) {
      var row = document.getElementById(match[1] + "-L" + n);
      if (row) { row.classList.add("flash"); }
    }
    var first = document.getElementById(match[1] + "-L" + match[2]);
    if (first) {
      first.tabIndex = -1;
      window.setTimeout(function () { first.focus({ preventScroll: true }); }, 0);
    }
  });
}());
