/* The report's one script: filters for long lists, the claim details panel
   and keyboard moves. Every page shows all of its content without it; the
   script only narrows lists and brings a claim's details together.
   Text from documents is only ever read with textContent and written with
   textContent, never as markup. */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function typing(target) {
    var name = target && target.tagName;
    return name === "INPUT" || name === "SELECT" || name === "TEXTAREA" || (target && target.isContentEditable);
  }

  /* ------------------------------------------------------------------
     Filters: a form.filters narrows the rows (or list items) of its
     target to those whose data-* attributes match every chosen value and
     whose text holds every word typed. */

  function setUpFilter(form) {
    var target = document.getElementById(form.getAttribute("data-target"));
    if (!target) {
      return;
    }
    var items = target.querySelectorAll("tbody tr, ol > li, ul > li");
    var groups = target.querySelectorAll("[data-filter-group]");
    var selects = form.querySelectorAll("select");
    var search = form.querySelector("input[name=q]");
    var count = form.querySelector(".filter-count");
    var noun = count ? count.getAttribute("data-noun") : "";
    var texts = [];

    function textOf(index) {
      if (texts[index] === undefined) {
        texts[index] = items[index].textContent.toLowerCase();
      }
      return texts[index];
    }

    function wanted() {
      var choices = [];
      each(selects, function (select) {
        if (select.value) {
          choices.push([select.name, select.value]);
        }
      });
      var words = search ? search.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      return { choices: choices, words: words };
    }

    function apply() {
      var want = wanted();
      var shown = 0;
      each(items, function (item, index) {
        var keep = want.choices.every(function (choice) {
          return item.getAttribute("data-" + choice[0]) === choice[1];
        });
        if (keep && want.words.length) {
          var text = textOf(index);
          keep = want.words.every(function (word) {
            return text.indexOf(word) !== -1;
          });
        }
        item.classList.toggle("filtered-out", !keep);
        if (keep) {
          shown += 1;
        }
      });
      each(groups, function (group) {
        group.classList.toggle("filtered-out", !group.querySelector("tbody tr:not(.filtered-out)"));
      });
      if (count) {
        count.textContent = "Showing " + shown + " of " + items.length + " " + noun;
      }
      remember(want);
    }

    function remember(want) {
      var params = want.choices.map(function (choice) {
        return encodeURIComponent(choice[0]) + "=" + encodeURIComponent(choice[1]);
      });
      if (search && search.value) {
        params.push("q=" + encodeURIComponent(search.value));
      }
      var query = params.length ? "?" + params.join("&") : location.pathname.split("/").pop();
      try {
        history.replaceState(null, "", query + location.hash);
      } catch (error) {
        /* Some browsers refuse to rewrite file:// addresses; filters still work. */
      }
    }

    function restore() {
      var params = location.search.replace(/^\?/, "").split("&");
      params.forEach(function (pair) {
        var parts = pair.split("=");
        var name = decodeURIComponent(parts[0] || "");
        var value = decodeURIComponent((parts[1] || "").replace(/\+/g, " "));
        var field = name === "q" ? search : form.querySelector("select[name='" + name.replace(/[^\w-]/g, "") + "']");
        if (!field || !name) {
          return;
        }
        if (field.tagName === "SELECT" && !field.querySelector("option[value='" + CSS.escape(value) + "']")) {
          return;
        }
        field.value = value;
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () {
      setTimeout(apply, 0);
    });
    form.hidden = false;
    restore();
    if (wanted().choices.length || (search && search.value)) {
      apply();
    } else if (count) {
      /* Nothing chosen: every row shows already, so leave a long list untouched. */
      count.textContent = "Showing " + items.length + " of " + items.length + " " + noun;
    }
  }

  each(document.querySelectorAll("form.filters"), setUpFilter);

  /* ------------------------------------------------------------------
     Claim details: select a highlighted figure (click, Enter or Space),
     or its entry in the margin, to see everything known about it. */

  var panel = document.getElementById("claim-detail");
  var marks = document.querySelectorAll("mark.claim");
  var current = null;

  function rowFor(id) {
    var rows = document.querySelectorAll("#claims-table tr[data-claim], #missing-table tr[data-claim]");
    for (var i = 0; i < rows.length; i += 1) {
      if (rows[i].getAttribute("data-claim") === id) {
        return rows[i];
      }
    }
    return null;
  }

  function markFor(id) {
    var found = document.getElementById(id);
    return found && found.tagName === "MARK" ? found : null;
  }

  function field(row, name) {
    return row.querySelector("[data-field='" + name + "']");
  }

  function fill(row, heading) {
    panel.querySelector(".detail-heading").textContent = heading;
    var body = panel.querySelector(".detail-body");
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    var headers = row.closest("table").querySelectorAll("thead th[data-field]");
    each(headers, function (header) {
      var name = header.getAttribute("data-field");
      var cell = field(row, name);
      if (name === "figure" || !cell) {
        return;
      }
      var term = document.createElement("dt");
      term.textContent = header.textContent;
      var value = document.createElement("dd");
      var link = cell.querySelector("a[href]");
      if (name === "group" && link) {
        var copy = document.createElement("a");
        copy.setAttribute("href", link.getAttribute("href"));
        copy.textContent = cell.textContent.trim() + ": open the figure";
        value.appendChild(copy);
      } else {
        value.textContent = cell.textContent.trim();
      }
      body.appendChild(term);
      body.appendChild(value);
    });
    var group = document.getElementById("fig-" + row.getAttribute("data-group"));
    var explanation = group ? group.querySelector(".explanation") : null;
    panel.querySelector(".detail-explanation").textContent = explanation ? explanation.textContent : "";
    panel.querySelector(".detail-hint").textContent =
      "Find it in claims.yaml by its id: " + row.getAttribute("data-claim");
  }

  function select(id, selected) {
    var mark = markFor(id);
    var row = rowFor(id);
    if (mark) {
      mark.classList.toggle("selected", selected);
    }
    if (row) {
      row.classList.toggle("selected", selected);
    }
  }

  function close(returnFocus) {
    if (!panel) {
      return;
    }
    var was = current;
    if (current) {
      select(current, false);
      current = null;
    }
    panel.hidden = true;
    if (returnFocus && was && markFor(was)) {
      markFor(was).focus();
    }
  }

  function open(id) {
    var row = rowFor(id);
    if (!panel || !row) {
      return;
    }
    close(false);
    current = id;
    select(id, true);
    var mark = markFor(id);
    fill(row, mark ? mark.textContent : field(row, "figure").textContent.trim());
    panel.hidden = false;
  }

  function move(step) {
    if (!marks.length) {
      return;
    }
    var index = -1;
    each(marks, function (mark, i) {
      if (mark.id === current || (index === -1 && mark === document.activeElement)) {
        index = i;
      }
    });
    var next = marks[(index + step + marks.length) % marks.length];
    if (index === -1 && step < 0) {
      next = marks[marks.length - 1];
    }
    next.focus();
    next.scrollIntoView({ block: "center" });
    open(next.id);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) {
      return;
    }
    var mark = target.closest("mark.claim");
    var entry = target.closest(".gutter a[data-claim]");
    if (mark) {
      if (current === mark.id) {
        close(false);
      } else {
        open(mark.id);
      }
    } else if (entry) {
      open(entry.getAttribute("data-claim"));
    } else if (target.closest("[data-close]")) {
      close(true);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Escape") {
      if (current) {
        close(true);
      } else if (typing(event.target)) {
        event.target.blur();
      }
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var mark = event.target.closest ? event.target.closest("mark.claim") : null;
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      if (current === mark.id) {
        close(false);
      } else {
        open(mark.id);
      }
    } else if (event.key === "j" || event.key === "k") {
      if (marks.length) {
        event.preventDefault();
        move(event.key === "j" ? 1 : -1);
      }
    } else if (event.key === "/") {
      var box = document.querySelector("form.filters:not([hidden]) input[name=q]");
      if (box) {
        event.preventDefault();
        box.focus();
      }
    }
  });

  /* Arriving at a highlighted claim by its address opens its details. */
  if (location.hash.length > 1) {
    var arrived = decodeURIComponent(location.hash.slice(1));
    if (markFor(arrived)) {
      open(arrived);
    }
  }
})();
