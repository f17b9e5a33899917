// The reply editor (responses/editor.py): items, sub-items and commitments are edited in the page
// and posted as one JSON field, `structure`, when the drafter saves. Also: the live preview of the
// letter, a copy of unsaved input kept in this browser (localStorage) and offered back after a
// crash or a closed tab, and a warning before leaving with unsaved changes.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  var field = document.getElementById("reply-structure");
  var list = document.getElementById("reply-items");
  if (!form || !field || !list) {
    return;
  }
  var itemTemplate = document.getElementById("tpl-item");
  var commitmentTemplate = document.getElementById("tpl-commitment");
  var ownDepartment = list.getAttribute("data-own-department") || "";
  // The proposal's numbered suggestions (具体建议) each item may answer.
  var suggestionBox = document.getElementById("reply-suggestions");
  var suggestions = [];
  if (suggestionBox) {
    try {
      suggestions = JSON.parse(suggestionBox.getAttribute("data-suggestions") || "[]");
    } catch (error) {
      suggestions = [];
    }
  }
  var DIGITS = "零一二三四五六七八九";
  var items;
  try {
    items = JSON.parse(field.value || "[]");
  } catch (error) {
    items = [];
  }
  field.value = serialize(); // the errors the server marked are shown, not posted back
  var uid = 0;
  var dirty = form.getAttribute("data-unsaved") === "1";
  var submitting = false;

  // --- Labels (tracker/chinese.py) ------------------------------------------------------------
  function numeral(n) {
    if (n < 10) {
      return DIGITS[n];
    }
    if (n < 100) {
      var tens = Math.floor(n / 10);
      var ones = n % 10;
      return (tens > 1 ? DIGITS[tens] : "") + "十" + (ones ? DIGITS[ones] : "");
    }
    return String(n);
  }
  function label(position, child) {
    return child ? "（" + numeral(position) + "）" : numeral(position) + "、";
  }

  // --- State → field ----------------------------------------------------------------------------
  function serialize() {
    return JSON.stringify(items, function (key, value) {
      return key === "errors" ? undefined : value;
    });
  }
  function changed() {
    field.value = serialize();
    dirty = true;
    status(false);
    form.dispatchEvent(new Event("change")); // the preview and the local copy follow
  }

  // --- Rendering --------------------------------------------------------------------------------
  function showErrors(container, errors) {
    var box = container.querySelector(".node-errors");
    box.textContent = "";
    if (!errors) {
      return;
    }
    Object.keys(errors).forEach(function (name) {
      var input = name === "__all__" ? null : container.querySelector('[data-field="' + name + '"]');
      errors[name].forEach(function (message) {
        var line = document.createElement("div");
        line.className = "invalid-feedback d-block";
        line.textContent = message;
        if (input) {
          input.classList.add("is-invalid");
          input.parentNode.appendChild(line);
        } else {
          line.className = "alert alert-danger py-1 px-2 mb-2 small";
          box.appendChild(line);
        }
      });
    });
  }

  function bind(container, node) {
    container.querySelectorAll("[data-field]").forEach(function (input) {
      var name = input.getAttribute("data-field");
      var id = "ed-" + ++uid + "-" + name;
      input.id = id;
      var text = container.querySelector('[data-for="' + name + '"]');
      if (text) {
        text.setAttribute("for", id);
      }
      input.value = node[name] == null ? "" : String(node[name]);
      input.addEventListener("input", function () {
        node[name] = input.value;
        if (name === "heading") {
          container.querySelector(".item-title").textContent = input.value;
        }
        field.value = serialize();
        dirty = true;
        status(false);
      });
    });
  }

  function renderCommitment(node, position, rows) {
    var row = commitmentTemplate.content.firstElementChild.cloneNode(true);
    row.querySelector('[data-for="text"]').textContent =
      list.getAttribute("data-commitment-word") + position;
    row.commitmentNode = node;
    bind(row, node);
    showErrors(row, node.errors);
    rows.appendChild(row);
  }

  // Checkboxes under an item: the suggestions it answers (node.answers, suggestion ids).
  function renderAnswers(element, node) {
    var box = element.querySelector(".item-answers");
    if (!suggestions.length) {
      box.remove();
      return;
    }
    node.answers = node.answers || [];
    var choices = box.querySelector(".answer-choices");
    var word = suggestionBox.getAttribute("data-answer-word");
    suggestions.forEach(function (suggestion) {
      var wrap = document.createElement("div");
      wrap.className = "form-check form-check-inline";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "form-check-input answer-choice";
      input.id = "ed-" + ++uid + "-answer";
      input.value = String(suggestion.id);
      input.checked = node.answers.indexOf(suggestion.id) !== -1;
      var text = document.createElement("label");
      text.className = "form-check-label";
      text.setAttribute("for", input.id);
      text.title = suggestion.text;
      text.textContent = word + suggestion.label.replace(/、$/, "");
      input.addEventListener("change", function () {
        var at = node.answers.indexOf(suggestion.id);
        if (input.checked && at === -1) {
          node.answers.push(suggestion.id);
        } else if (!input.checked && at !== -1) {
          node.answers.splice(at, 1);
        }
        changed();
        showAnswered();
      });
      wrap.appendChild(input);
      wrap.appendChild(text);
      choices.appendChild(wrap);
    });
  }

  // Marks each suggestion answered or not, and lists the unanswered ones in the warning.
  function showAnswered() {
    if (!suggestionBox) {
      return;
    }
    var answered = {};
    items.forEach(function (node) {
      [node].concat(node.children || []).forEach(function (one) {
        (one.answers || []).forEach(function (id) {
          answered[id] = true;
        });
      });
    });
    var warning = suggestionBox.querySelector(".unanswered-warning");
    var missing = suggestionBox.querySelector(".unanswered-list");
    missing.textContent = "";
    suggestions.forEach(function (suggestion) {
      var row = suggestionBox.querySelector('[data-suggestion="' + suggestion.id + '"]');
      var done = Boolean(answered[suggestion.id]);
      if (row) {
        row.querySelectorAll(".answer-state").forEach(function (badge) {
          badge.classList.toggle("d-none", (badge.getAttribute("data-state") === "answered") !== done);
        });
      }
      if (!done) {
        var line = document.createElement("li");
        line.textContent = suggestion.label + suggestion.text.slice(0, 60);
        missing.appendChild(line);
      }
    });
    warning.hidden = !missing.children.length;
  }

  function renderItem(node, position, siblings, parentLabel, target) {
    var element = itemTemplate.content.firstElementChild.cloneNode(true);
    var child = parentLabel !== null;
    var text = label(position, child);
    element.classList.toggle("reply-subitem", child);
    element.querySelector(".item-label").textContent = (parentLabel || "") + text;
    element.querySelector(".item-title").textContent = node.heading || "";
    element.itemNode = node;
    element.itemSiblings = siblings;
    bind(element, node);
    renderAnswers(element, node);
    showErrors(element, node.errors);
    var commitments = element.querySelector(".commitment-rows");
    node.commitments = node.commitments || [];
    node.commitments.forEach(function (commitment, index) {
      renderCommitment(commitment, index + 1, commitments);
    });
    element.querySelector(".commitments-empty").hidden = node.commitments.length > 0;
    var subItems = element.querySelector(".sub-items");
    if (child) {
      subItems.remove();
    } else {
      var rows = element.querySelector(".child-rows");
      node.children = node.children || [];
      node.children.forEach(function (childNode, index) {
        renderItem(childNode, index + 1, node.children, text, rows);
      });
    }
    element.querySelector('[data-act="up"]').disabled = position === 1;
    element.querySelector('[data-act="down"]').disabled = position === siblings.length;
    target.appendChild(element);
    return element;
  }

  // Rebuilds the list; `focus` names what gets the focus afterwards: [node, selector].
  function render(focus) {
    list.textContent = "";
    items.forEach(function (node, index) {
      renderItem(node, index + 1, items, null, list);
    });
    showAnswered();
    if (focus && focus.length) {
      var found = null;
      list.querySelectorAll(".reply-item").forEach(function (element) {
        if (element.itemNode === focus[0]) {
          found = element;
        }
      });
      var target = found && found.querySelector(focus[1]);
      if (target) {
        target.focus();
      }
    }
  }

  // --- Actions ----------------------------------------------------------------------------------
  function newItem() {
    return { id: null, heading: "", paragraphs: "", answers: [], commitments: [], children: [] };
  }
  function newCommitment(text) {
    return { id: null, text: text || "", owner: ownDepartment, due_on: "" };
  }
  function move(element, step, focusSelector) {
    var siblings = element.itemSiblings;
    var index = siblings.indexOf(element.itemNode);
    var other = index + step;
    if (other < 0 || other >= siblings.length) {
      return;
    }
    siblings.splice(index, 1);
    siblings.splice(other, 0, element.itemNode);
    changed();
    render([element.itemNode, focusSelector || '[data-act="' + (step < 0 ? "up" : "down") + '"]']);
  }
  function hasContent(node) {
    return Boolean(
      node.heading || node.paragraphs || (node.commitments || []).length || (node.children || []).length
    );
  }
  function markSelection(element) {
    var node = element.itemNode;
    var text = element.querySelector('[data-field="paragraphs"]');
    var hint = element.querySelector(".mark-hint");
    var chosen = text.value.substring(text.selectionStart, text.selectionEnd).trim();
    hint.textContent = "";
    if (!chosen) {
      hint.textContent = list.getAttribute("data-select-first");
      text.focus();
      return;
    }
    if (node.paragraphs.indexOf(chosen) === -1) {
      hint.textContent = list.getAttribute("data-not-in-text");
      return;
    }
    node.commitments.push(newCommitment(chosen));
    changed();
    render([node, ".commitment-row:last-child select"]);
  }

  list.addEventListener("mousedown", function (event) {
    // Keep the selection in the item's text when the mark button is pressed.
    if (event.target.closest('[data-act="mark"]')) {
      event.preventDefault();
    }
  });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-act]");
    if (!button) {
      return;
    }
    var element = button.closest(".reply-item");
    var node = element.itemNode;
    var act = button.getAttribute("data-act");
    if (act === "up" || act === "down") {
      move(element, act === "up" ? -1 : 1);
    } else if (act === "remove") {
      var name = element.querySelector(".item-label").textContent + (node.heading || "");
      if (hasContent(node) && !window.confirm(list.getAttribute("data-confirm-remove").replace("{name}", name))) {
        return;
      }
      var siblings = element.itemSiblings;
      var index = siblings.indexOf(node);
      siblings.splice(index, 1);
      changed();
      var next = siblings[Math.min(index, siblings.length - 1)];
      render(next ? [next, '[data-field="heading"]'] : null);
    } else if (act === "add-child") {
      var childNode = newItem();
      delete childNode.children;
      node.children.push(childNode);
      changed();
      render([childNode, '[data-field="heading"]']);
    } else if (act === "add-commitment") {
      node.commitments.push(newCommitment(""));
      changed();
      render([node, ".commitment-row:last-child textarea"]);
    } else if (act === "remove-commitment") {
      node.commitments.splice(node.commitments.indexOf(button.closest(".commitment-row").commitmentNode), 1);
      changed();
      render([node, '[data-act="add-commitment"]']);
    } else if (act === "mark") {
      markSelection(element);
    }
  });
  form.querySelector('[data-act="add-item"]').addEventListener("click", function () {
    var node = newItem();
    items.push(node);
    changed();
    render([node, '[data-field="heading"]']);
  });

  // Keyboard: Alt+↑/↓ moves the item holding the focus, Ctrl+S (⌘S) saves.
  form.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      var element = event.target.closest && event.target.closest(".reply-item");
      if (element) {
        event.preventDefault();
        var name = event.target.getAttribute("data-field");
        var own = name && event.target.parentNode.parentNode === element;
        // The focus stays in the field it was in (the item's own heading or text).
        move(element, event.key === "ArrowUp" ? -1 : 1, ":scope > div > [data-field=\"" + (own ? name : "heading") + "\"]");
      }
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });

  // --- Unsaved changes: a local copy and a warning before leaving -------------------------------
  var statusLine = form.querySelector(".autosave-status");
  var key = "reply-editor:" + form.getAttribute("data-reply");
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (error) {
    storage = null;
  }
  function snapshot() {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "lock_version" && name !== "base") {
        values[name] = value;
      }
    });
    return values;
  }
  var loaded = JSON.stringify(snapshot());
  function lockVersion() {
    var input = form.elements.namedItem("lock_version");
    return input ? input.value : "";
  }
  function status(stored) {
    if (!statusLine) {
      return;
    }
    statusLine.textContent = dirty
      ? statusLine.getAttribute(stored ? "data-saved-text" : "data-unsaved-text") +
        (stored ? " " + new Date().toLocaleTimeString() : "")
      : "";
  }
  var storeTimer = null;
  function store() {
    window.clearTimeout(storeTimer);
    storeTimer = window.setTimeout(function () {
      if (!storage || submitting) {
        return;
      }
      var values = snapshot();
      try {
        if (JSON.stringify(values) === loaded) {
          storage.removeItem(key);
        } else {
          storage.setItem(
            key,
            JSON.stringify({ at: new Date().toISOString(), lock: lockVersion(), values: values })
          );
          status(true);
        }
      } catch (error) {
        // Storage full or refused: the warning before leaving still guards the input.
      }
    }, 800);
  }
  form.addEventListener("input", store);
  form.addEventListener("change", store);
  form.addEventListener("input", function () {
    dirty = true;
  });

  function restore(values) {
    Object.keys(values).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && name !== "structure") {
        input.value = values[name];
      }
    });
    try {
      items = JSON.parse(values.structure || "[]");
    } catch (error) {
      items = [];
    }
    field.value = serialize();
    render(null);
    changed();
  }
  var banner = form.querySelector(".autosave-restore");
  if (storage && banner) {
    var saved = null;
    try {
      saved = JSON.parse(storage.getItem(key) || "null");
    } catch (error) {
      saved = null;
    }
    if (saved && saved.submitted && saved.lock !== lockVersion()) {
      // This copy was posted and the draft has been saved since: the page shows what is stored.
      storage.removeItem(key);
    } else if (saved && saved.values && JSON.stringify(saved.values) !== loaded && !dirty) {
      banner.querySelector(".autosave-when").textContent = new Date(saved.at).toLocaleString();
      banner.hidden = false;
      banner.querySelector('[data-act="restore"]').addEventListener("click", function () {
        banner.hidden = true;
        restore(saved.values);
      });
      banner.querySelector('[data-act="discard"]').addEventListener("click", function () {
        banner.hidden = true;
        storage.removeItem(key);
      });
    } else if (saved && JSON.stringify(saved.values) === loaded) {
      storage.removeItem(key); // saved since: the copy is what the server holds now
    }
  }

  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(storeTimer);
    field.value = serialize();
    if (storage) {
      try {
        // Kept until the saved page loads: a save that fails leaves the copy to fall back on.
        storage.setItem(
          key,
          JSON.stringify({ at: new Date().toISOString(), lock: lockVersion(), submitted: true, values: snapshot() })
        );
      } catch (error) {
        // Storage refused: nothing more to keep.
      }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  render(null);
  status(false);

  // --- Live preview ---------------------------------------------------------------------------
  var pane = document.getElementById("letter-preview");
  if (!pane || !window.fetch || !window.FormData) {
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
    if (submitting) {
      return;
    }
    pane.setAttribute("data-state", "pending");
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    // The page is being saved and left: no preview of it is needed any more.
    window.clearTimeout(timer);
    if (controller) {
      controller.abort();
    }
  });
})();
