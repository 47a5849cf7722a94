/* Click or press Enter on a highlighted claim to pin its details and mark
   its row in the claims table. Everything shown here is also on the page
   without scripts (tooltips and tables); this only brings it together. */
(function () {
  "use strict";

  var panel = document.getElementById("claim-detail");
  var current = null;

  function rowsFor(id) {
    var rows = document.querySelectorAll("tr[data-claim]");
    return Array.prototype.filter.call(rows, function (row) {
      return row.getAttribute("data-claim") === id;
    });
  }

  function setSelected(mark, selected) {
    mark.classList.toggle("selected", selected);
    rowsFor(mark.getAttribute("data-claim")).forEach(function (row) {
      row.classList.toggle("selected", selected);
    });
  }

  function hide() {
    if (current) {
      setSelected(current, false);
      current = null;
    }
    if (panel) {
      panel.hidden = true;
    }
  }

  function toggle(mark) {
    var same = current === mark;
    hide();
    if (same) {
      return;
    }
    current = mark;
    setSelected(mark, true);
    if (panel) {
      /* textContent, never innerHTML: claim text is untrusted. */
      panel.querySelector(".detail-heading").textContent = mark.textContent;
      panel.querySelector(".detail-body").textContent = mark.getAttribute("title") || "";
      panel.hidden = false;
    }
  }

  function markFrom(target) {
    return target && target.closest ? target.closest("mark.claim") : null;
  }

  document.addEventListener("click", function (event) {
    var mark = markFrom(event.target);
    if (mark) {
      toggle(mark);
    } else if (event.target.closest && event.target.closest("[data-close]")) {
      hide();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
      return;
    }
    if (event.key !== "Enter" && event.key !== " ") {
      return;
    }
    var mark = markFrom(event.target);
    if (mark) {
      event.preventDefault();
      toggle(mark);
    }
  });
})();
