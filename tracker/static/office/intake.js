// Proposal intake (Excel upload and its preview): a form marked data-busy shows its progress element
// while the server reads, checks or creates the rows, and its buttons cannot be pressed twice.
(function () {
  "use strict";

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.working === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.working = "1";
      var busy = document.getElementById(form.getAttribute("data-busy"));
      var buttons = document.querySelectorAll("form[data-busy] button[type=submit]");
      // Disabled only after the browser has read the form: a disabled submitter is not sent.
      window.setTimeout(function () {
        buttons.forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
        });
      }, 0);
      if (!busy) {
        return;
      }
      busy.classList.remove("d-none");
      var clock = busy.querySelector("[data-elapsed]");
      var started = Date.now();
      if (clock) {
        window.setInterval(function () {
          clock.textContent = String(Math.round((Date.now() - started) / 1000));
        }, 1000);
      }
    });
  });
})();
