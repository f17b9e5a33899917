// Assignment page: "设为主办" puts a suggested unit into the lead field of the form below.
(function () {
  "use strict";

  document.querySelectorAll("[data-pick-lead]").forEach(function (button) {
    button.addEventListener("click", function () {
      var lead = document.getElementById("id_lead");
      if (!lead) {
        return;
      }
      lead.value = button.getAttribute("data-pick-lead");
      lead.dispatchEvent(new Event("change", { bubbles: true }));
      lead.focus();
    });
  });
})();
