// The letter import page: the "create new" fields of a match only show while "new" is chosen.
(function () {
  "use strict";

  document.querySelectorAll("[data-new-for]").forEach(function (block) {
    var select = document.getElementById(block.dataset.newFor);
    if (!select) {
      return;
    }
    function sync() {
      // Keep a block with an error visible, so that the office sees what to fix.
      block.hidden = select.value !== "new" && !block.querySelector(".is-invalid");
    }
    select.addEventListener("change", sync);
    sync();
  });
})();

// A candidate button under a field (another value the letter offers for it) fills the field.
(function () {
  "use strict";

  document.querySelectorAll("button.field-candidate[data-fill]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.fill);
      if (!field) {
        return;
      }
      field.value = button.dataset.value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    });
  });
})();
