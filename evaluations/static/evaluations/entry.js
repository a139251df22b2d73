// Section entry without round trips: rows are added and removed in place, and Enter moves down a
// column (and adds a row after the last one). Saving as one types is autosave.js.
// Served from our own static files (no build step, nothing inline, so the CSP holds). Without
// JavaScript the page still works: it has a few blank rows, and saving gives more.
(function () {
  "use strict";

  var lists = {};

  function rowList(table) {
    var prefix = table.dataset.rowList;
    var form = table.closest("form");
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = form.querySelector('template[data-row-template="' + prefix + '"]');
    var button = form.querySelector('button[data-add-row="' + prefix + '"]');
    var body = table.tBodies[0];

    function full() {
      return max && Number(total.value) >= Number(max.value);
    }

    function refresh() {
      if (button) {
        button.disabled = full();
        button.title = full() ? "This list holds " + max.value + " rows at most." : "";
      }
    }

    function add() {
      if (full()) return null;
      var index = String(Number(total.value));
      var html = template.innerHTML.replace(/__prefix__/g, index);
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(Number(total.value) + 1);
      refresh();
      var row = body.rows[body.rows.length - 1];
      // A new row starts on the side last chosen in this list (one side examined after another).
      var sides = body.querySelectorAll('select[name$="-side"]');
      var side = row.querySelector('select[name$="-side"]');
      for (var i = sides.length - 2; side && i >= 0; i--) {
        if (sides[i].value) { side.value = sides[i].value; break; }
      }
      var remove = row.querySelector('input[name$="-DELETE"]');
      if (remove) remove.setAttribute("aria-label", "Remove row " + (Number(index) + 1));
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (first) first.focus();
      return row;
    }

    if (button && template) {
      button.hidden = false;
      button.addEventListener("click", add);
      var hint = form.querySelector('[data-no-script-hint="' + prefix + '"]');
      if (hint) hint.hidden = true;
      refresh();
    }

    lists[prefix] = { add: add, body: body };

    table.addEventListener("change", function (event) {
      var box = event.target;
      if (box.matches('input[type=checkbox][name$="-DELETE"]')) {
        box.closest("tr").classList.toggle("row-removed", box.checked);
      }
    });

    table.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || event.shiftKey || field.matches("textarea, button, [type=checkbox]")) return;
      event.preventDefault(); // Enter in a row never submits half a section
      var row = field.closest("tr");
      var column = Array.prototype.indexOf.call(row.cells, field.closest("td"));
      var next = row.nextElementSibling || add();
      var below = next && next.cells[column] && next.cells[column].querySelector("input, select, textarea");
      if (below) below.focus();
    });
  }

  document.querySelectorAll("table[data-row-list]").forEach(rowList);

  // Paired lists: the side-to-side difference as one types.
  function number(field) {
    if (!field || field.value === "") return null;
    var value = Number(field.value);
    return isNaN(value) ? null : value;
  }

  function sideValue(row, side, kind) {
    var cell = row.querySelector('[data-side-cell="' + side + '"]');
    if (!cell) return null;
    if (kind === "grade") {
      var select = cell.querySelector("select");
      return select && select.value !== "" ? select.selectedIndex : null; // options in ordinal order
    }
    if (kind === "kg") {
      var trials = Array.prototype.map.call(cell.querySelectorAll("input[type=number]"), number)
        .filter(function (value) { return value !== null; });
      if (!trials.length) return null;
      return trials.reduce(function (a, b) { return a + b; }, 0) / trials.length;
    }
    return number(cell.querySelector("input:not([type=checkbox]):not([type=hidden])"));
  }

  function describe(kind, left, right) {
    var diff = Math.abs(left - right);
    if (diff === 0) return "Equal";
    var lower = left < right ? "L" : "R";
    if (kind === "grade") return diff + " grade step" + (diff === 1 ? "" : "s") + ", " + lower + " weaker";
    if (kind === "degrees") return diff + "°, " + lower + " less";
    if (kind === "kg") {
      var percent = Math.round((Math.min(left, right) / Math.max(left, right)) * 100);
      return diff.toFixed(1) + " kg, " + lower + " " + percent + "% of the other";
    }
    return (Math.round(diff * 100) / 100) + ", " + lower + " lower";
  }

  function showDifference(row) {
    var table = row.closest("table[data-pair-kind]");
    var output = row.querySelector("[data-side-difference]");
    if (!table || !output) return;
    var kind = table.dataset.pairKind;
    var sides = row.querySelector('select[name$="-sides"]');
    var left = sideValue(row, "left", kind);
    var right = sideValue(row, "right", kind);
    var paired = !sides || sides.value === "pair";
    row.querySelector('[data-side-cell="right"]').classList.toggle("side-unused", !paired);
    output.textContent = kind && paired && left !== null && right !== null ? describe(kind, left, right) : "";
  }

  document.querySelectorAll("table[data-pair-kind]").forEach(function (table) {
    table.addEventListener("input", function (event) { showDifference(event.target.closest("tr")); });
    table.addEventListener("change", function (event) { showDifference(event.target.closest("tr")); });
    Array.prototype.forEach.call(table.tBodies[0].rows, showDifference);
  });

  // A body region adds its standard lines in one step (blank lines are filled first).
  document.querySelectorAll("[data-regions]").forEach(function (box) {
    var prefix = box.dataset.regions;
    var select = box.querySelector("select");
    var submit = box.querySelector("[data-region-submit]");
    var list = lists[prefix];
    if (!list || !select) return;
    if (submit) submit.hidden = true;
    select.addEventListener("change", function () {
      var option = select.selectedOptions[0];
      if (!option || !option.dataset.codes) return;
      var keyName = '[name$="-muscle_group"], [name$="-joint_motion"]';
      var present = {};
      Array.prototype.forEach.call(list.body.rows, function (row) {
        var key = row.querySelector(keyName);
        if (key && key.value) present[key.value] = true;
      });
      var first = null;
      option.dataset.codes.split(" ").forEach(function (code) {
        if (present[code]) return;
        var row = Array.prototype.find.call(list.body.rows, function (candidate) {
          var key = candidate.querySelector(keyName);
          return key && !key.value;
        }) || list.add();
        if (!row) return;
        var key = row.querySelector(keyName);
        key.value = code;
        // Like a baseline's offer: the line stays unsaved (and raises no error) until measured.
        var offered = row.querySelector('input[name$="-offered"]');
        if (offered) offered.value = "True";
        key.dispatchEvent(new Event("change", { bubbles: true }));
        if (!first) first = row;
      });
      select.value = "";
      var grade = first && first.querySelector('[data-side-cell="left"] select, [data-side-cell="left"] input');
      if (grade) grade.focus();
    });
  });

  // Standardized instruments: the total as the items are answered. With every item answered the
  // total box shows the items' total and cannot be typed over; with some answered it waits for the
  // rest (no item is estimated); with none it is typed, for a total known on its own.
  function instrumentTotal(card) {
    var items = Number(card.dataset.items);
    var output = card.querySelector("[data-live-total]");
    var total = card.querySelector('input[name$="-total_score"]');
    if (!items || !output || !total) return;
    var answered = 0;
    var sum = 0;
    card.querySelectorAll("[data-item]").forEach(function (item) {
      var checked = item.querySelector("input[type=radio]:checked");
      if (checked && checked.dataset.score !== undefined) {
        answered += 1;
        sum += Number(checked.dataset.score);
      }
    });
    if (!answered) {
      // Back to a typed total: the one typed before the items were started comes back.
      if (total.readOnly) total.value = card.dataset.typedTotal || "";
      total.readOnly = false;
      output.textContent = "";
      return;
    }
    if (!total.readOnly) card.dataset.typedTotal = total.value;
    total.readOnly = true;
    if (answered < items) {
      total.value = "";
      output.textContent = answered + " of " + items + " items answered";
      return;
    }
    total.value = String(sum);
    var text = "From the items: " + sum + "/" + card.dataset.high;
    if (card.dataset.twentyPoint !== undefined) text += " (" + sum / 5 + "/20 on the 20-point version)";
    var education = card.querySelector('input[name$="-education_years"]');
    if (card.dataset.educationPoint && education && education.value !== "") {
      var adjusted = Number(education.value) <= Number(card.dataset.educationPoint) ? Math.min(Number(card.dataset.high), sum + 1) : sum;
      if (adjusted !== sum) text += "; " + adjusted + " with the education point";
    }
    output.textContent = text;
  }

  document.querySelectorAll("[data-instrument]").forEach(function (card) {
    card.addEventListener("change", function () { instrumentTotal(card); });
    card.addEventListener("input", function () { instrumentTotal(card); });
    instrumentTotal(card);
  });

  // ADL/IADL checklists: a description of the help chooses the level by the boundary rule
  // (instruments.json "assist_levels": classify by the patient's share as FIM does, so a helper
  // doing exactly 25, 50 or 75 % is Min, Mod or Max assist); set-up only is supervision. A level
  // chosen by hand that the description does not give clears the description.
  function describedLevel(share, setup) {
    if (setup) return "supervision";
    if (share === null || share <= 0 || share > 100) return null;
    var patient = 100 - share;
    if (patient >= 75) return "minimal_assist";
    if (patient >= 50) return "moderate_assist";
    if (patient >= 25) return "maximal_assist";
    return "dependent";
  }

  document.querySelectorAll(".checklist-grid tbody tr").forEach(function (row) {
    var share = row.querySelector('input[name$="-helper_effort_pct"]');
    var setup = row.querySelector('input[name$="-setup_only"]');
    if (!share || !setup) return;
    function apply() {
      var level = describedLevel(number(share), setup.checked);
      var radio = level && row.querySelector('input[type=radio][value="' + level + '"]');
      if (radio) radio.checked = true;
    }
    share.addEventListener("input", apply);
    setup.addEventListener("change", apply);
    row.addEventListener("change", function (event) {
      var radio = event.target;
      if (!radio.matches("input[type=radio]")) return;
      var level = describedLevel(number(share), setup.checked);
      if (level && level !== radio.value) {
        share.value = "";
        setup.checked = false;
      }
    });
  });

  // Grades from the keyboard: typing "4-", "3+" or "5" in a grade select chooses that grade
  // (the labels use the true minus sign, which no keyboard types).
  var typed = "";
  var typedAt = 0;
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[name$="grade"]') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!/^[0-5+\-−]$/.test(event.key)) return;
    event.preventDefault();
    var now = Date.now();
    typed = (now - typedAt < 1200 ? typed : "") + event.key.replace("−", "-");
    typedAt = now;
    var match = Array.prototype.find.call(select.options, function (option) { return option.value === typed; });
    if (match) {
      select.value = match.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (/^[0-5]$/.test(event.key)) {
      typed = event.key;
      match = Array.prototype.find.call(select.options, function (option) { return option.value === typed; });
      if (match) {
        select.value = match.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  });
})();
