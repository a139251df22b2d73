// Section entry without round trips: rows are added and removed in place, and Enter moves down a
// column (and adds a row after the last one). Saving as one types is autosave.js.
// Served from our own static files (no build step, nothing inline, so the CSP holds). Without
// JavaScript the page still works: it has a few blank rows, and saving gives more.
(function () {
  "use strict";

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
})();
