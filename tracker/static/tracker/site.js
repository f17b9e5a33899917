// Buttons that print the page: <button data-action="print">.
document.querySelectorAll('[data-action="print"]').forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

// Confirmation before what cannot be undone or reaches outside (签发, 催办, 送主办单位, 不满意): a form
// (or its submit button) with data-confirm="…what will happen, to whom…" opens a dialog first.
// data-confirm-when="rating=unsatisfied" asks only when that field holds that value. Without
// JavaScript the form submits directly.
(function () {
  "use strict";
  var template = document.getElementById("confirm-dialog");
  if (!template || !window.HTMLDialogElement) {
    return;
  }
  function ask(message, onConfirm, opener) {
    var dialog = template.content.firstElementChild.cloneNode(true);
    dialog.querySelector(".confirm-message").textContent = message;
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      var confirmed = dialog.returnValue === "confirm";
      dialog.remove();
      if (confirmed) {
        onConfirm();
      } else if (opener) {
        opener.focus();
      }
    });
    dialog.querySelectorAll("button[value]").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.close(button.value);
      });
    });
    dialog.showModal();
    dialog.querySelector('[value="cancel"]').focus(); // the safe choice has the focus
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var holder = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    var message = holder.getAttribute("data-confirm");
    if (!message || form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");
      return;
    }
    var when = form.getAttribute("data-confirm-when");
    if (when && holder === form) {
      var parts = when.split("=");
      var field = form.elements.namedItem(parts[0]);
      if (!field || field.value !== parts[1]) {
        return;
      }
    }
    event.preventDefault();
    ask(
      message,
      function () {
        form.setAttribute("data-confirmed", "1");
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      },
      submitter
    );
  });
})();
