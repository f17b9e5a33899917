// Office workspace: add formset rows, and keep prefilled due dates in step with the assignment date.
(function () {
  "use strict";

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The same day `months` calendar months later, clamped to the end of a shorter month
  // (proposals/deadlines.py add_months).
  function addMonths(iso, months) {
    var parts = iso.split("-").map(Number);
    if (parts.length !== 3 || parts.some(isNaN)) {
      return "";
    }
    var index = parts[0] * 12 + (parts[1] - 1) + months;
    var year = Math.floor(index / 12);
    var month = index % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return year + "-" + pad(month + 1) + "-" + pad(Math.min(parts[2], last));
  }

  var assigned = document.getElementById("id_assigned_on");

  // Inputs with data-months follow the assignment date until someone edits them by hand.
  function fillDue(scope) {
    if (!assigned || !assigned.value) {
      return;
    }
    scope.querySelectorAll("input[data-months]").forEach(function (input) {
      if (input.dataset.edited !== "1") {
        input.value = addMonths(assigned.value, parseInt(input.dataset.months, 10));
      }
    });
  }

  if (assigned) {
    assigned.addEventListener("change", function () {
      fillDue(document);
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("input[data-months]")) {
        event.target.dataset.edited = "1";
      }
    });
  }

  // <button data-formset-add="co"> clones <template id="co-empty"> into #co-rows.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-formset-add");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty");
      var body = document.getElementById(prefix + "-rows");
      if (!total || !template || !body) {
        return;
      }
      var index = parseInt(total.value, 10);
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      fillDue(body.lastElementChild);
    });
  });

  // The list's "select all" box ticks or clears every row's box for the batch steps.
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    var boxes = document.querySelectorAll("input[name='" + master.dataset.selectAll + "']");
    master.hidden = boxes.length === 0;
    master.addEventListener("change", function () {
      boxes.forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
})();
