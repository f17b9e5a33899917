// Live preview of the reply letter: on every change to the edit form, post the form (unsaved) to
// the preview URL and show the returned letter article. Nothing is saved by the preview.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  var pane = document.getElementById("letter-preview");
  if (!form || !pane || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var controller = null;

  function refresh() {
    if (controller && window.AbortController) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("preview " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        pane.innerHTML = html;
        pane.setAttribute("data-state", "fresh");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          pane.setAttribute("data-state", "error");
        }
      });
  }

  function schedule() {
    pane.setAttribute("data-state", "pending");
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
