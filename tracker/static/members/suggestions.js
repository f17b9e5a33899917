// 具体建议 rows on the member's draft page: add, remove and reorder numbered suggestions. Each row is a
// textarea named "suggestion"; the server keeps them in page order, so moving a row is moving its
// element. Without JavaScript the page shows two blank rows and saving still works.
(function () {
  "use strict";
  var list = document.querySelector("[data-suggestion-list]");
  var template = document.getElementById("suggestion-template");
  var addButton = document.querySelector("[data-add-suggestion]");
  if (!list || !template || !addButton) {
    return;
  }
  var labelPattern = list.getAttribute("data-label");

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-suggestion-row]"));
  }

  function renumber() {
    rows().forEach(function (row, index) {
      var n = index + 1;
      var textarea = row.querySelector("textarea");
      var label = row.querySelector("label");
      textarea.id = "suggestion-" + n;
      label.setAttribute("for", textarea.id);
      label.textContent = labelPattern.replace("%s", n);
      row.querySelector('[data-move="up"]').disabled = index === 0;
      row.querySelector('[data-move="down"]').disabled = index === rows().length - 1;
    });
  }

  function enable(row) {
    row.querySelector("[data-suggestion-tools]").classList.remove("d-none");
  }

  function add() {
    var row = template.content.firstElementChild.cloneNode(true);
    list.appendChild(row);
    enable(row);
    renumber();
    row.querySelector("textarea").focus();
  }

  // With the script on, blank rows beyond the first are not needed: the button adds them.
  var blanks = rows().filter(function (row) { return !row.querySelector("textarea").value.trim(); });
  blanks.slice(rows().length === blanks.length ? 1 : 0).forEach(function (row) { row.remove(); });
  rows().forEach(enable);
  addButton.classList.remove("d-none");
  renumber();

  addButton.addEventListener("click", add);
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) {
      return;
    }
    var row = button.closest("[data-suggestion-row]");
    if (button.hasAttribute("data-remove")) {
      row.remove();
      if (!rows().length) {
        add();
      }
    } else if (button.getAttribute("data-move") === "up" && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (button.getAttribute("data-move") === "down" && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    }
    renumber();
    if (row.isConnected) {
      button.focus();
    }
  });
})();
