// bilingual serve: post-editing on the reading page. Edit an English cell, review, undo, take a
// memory suggestion, filter, and keep the glossary, talking to the server that sent the page.
// Only served pages carry this script (inlined, allowed by its hash); the static page has none.
(function () {
  "use strict";

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }

  var TOKEN = meta("bilingual-token");
  var TEXT = meta("bilingual-text");
  var table = document.querySelector(".parallel");
  if (!TOKEN || !table) {
    return;
  }
  var API = "/api/texts/" + encodeURIComponent(TEXT);
  var statusLine = document.getElementById("editor-status");
  var undoButton = document.getElementById("undo-edit");
  var lastEdit = meta("bilingual-last-edit") ? Number(meta("bilingual-last-edit")) : null;
  var editing = null; // {row, box, area, version, original}
  var outputsTimer = null;

  // ---- talking to the server ----------------------------------------------------------------

  function request(method, url, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Bilingual-Token": TOKEN },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(
      function (response) {
        return response.json().then(
          function (data) {
            return { ok: response.ok, status: response.status, data: data };
          },
          function () {
            return { ok: false, status: response.status, data: { error: "unreadable answer" } };
          }
        );
      },
      function () {
        return {
          ok: false,
          status: 0,
          data: { error: "the server cannot be reached: is bilingual serve still running?" },
        };
      }
    );
  }

  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("is-error", Boolean(isError));
  }

  // After a change the server rewrites the text's files once edits pause: say when it has.
  function watchOutputs() {
    if (outputsTimer !== null) {
      return;
    }
    outputsTimer = window.setTimeout(function check() {
      request("GET", "/api/outputs").then(function (answer) {
        if (answer.ok && answer.data.pending) {
          outputsTimer = window.setTimeout(check, 400);
          return;
        }
        outputsTimer = null;
        if (!answer.ok || answer.data.error) {
          say("The files could not be written: " + (answer.data.error || answer.status), true);
        } else {
          table.setAttribute("data-written", answer.data.written || "");
          say(statusLine.textContent.replace(/ · files written$/, "") + " · files written");
        }
      });
    }, 400);
  }

  // ---- rows ---------------------------------------------------------------------------------

  function rowOf(node) {
    return node && node.closest ? node.closest("tr.seg") : null;
  }

  function numberOf(row) {
    return Number(row.id.slice(1));
  }

  // A long text keeps most rows in <template class="later"> chunks until the reader nears
  // them: a row to update may be in one.
  function findRow(number) {
    var row = document.getElementById("s" + number);
    var later = table.querySelectorAll("template.later");
    for (var i = 0; !row && i < later.length; i++) {
      row = later[i].content.getElementById("s" + number);
    }
    return row;
  }

  // The row element stays (the reading script keeps a list of them); its content is the
  // server's new rendering, escaped there as on the static page.
  function showSegment(segment) {
    var row = findRow(segment.number);
    var template = document.createElement("template");
    template.innerHTML = segment.row;
    var fresh = template.content.firstElementChild;
    if (!row || !fresh || fresh.id !== row.id) {
      return;
    }
    var focused = row.contains(document.activeElement) && !(editing && editing.row === row);
    row.className = fresh.className;
    row.setAttribute("data-version", fresh.getAttribute("data-version"));
    if (fresh.hasAttribute("data-target")) {
      row.setAttribute("data-target", fresh.getAttribute("data-target"));
    } else {
      row.removeAttribute("data-target");
    }
    row.replaceChildren.apply(row, Array.prototype.slice.call(fresh.childNodes));
    if (editing && editing.row === row) {
      attachEditor(row);
    } else if (focused) {
      row.querySelector(".cell.en").focus();
    }
  }

  function applyChange(data) {
    (data.segments || []).forEach(showSegment);
    if ("last_edit" in data) {
      lastEdit = data.last_edit;
      undoButton.disabled = lastEdit === null;
    }
    watchOutputs();
  }

  function progressText(progress) {
    if (!progress) {
      return "";
    }
    return (
      " · " +
      (progress.human + progress.reviewed) +
      " of " +
      progress.segments +
      " done, " +
      progress.reviewed +
      " reviewed"
    );
  }

  // A memory suggestion is taken with one click, once its details are open.
  table.addEventListener(
    "toggle",
    function (event) {
      var body = event.target.querySelector ? event.target.querySelector(".suggestion-body") : null;
      if (body && !body.querySelector(".suggestion-accept")) {
        var accept = document.createElement("button");
        accept.type = "button";
        accept.className = "tool suggestion-accept";
        accept.textContent = "Use this translation";
        body.appendChild(accept);
      }
    },
    true
  );

  // The next shown row, bringing in the next chunk of a long text when this one ends.
  function visibleRowAfter(row) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.seg"));
    var index = rows.indexOf(row) + 1;
    for (;;) {
      for (; index < rows.length; index++) {
        if (rows[index].getClientRects().length > 0) {
          return rows[index];
        }
      }
      var waiting = table.querySelectorAll("template.later").length;
      table.dispatchEvent(new Event("bilingual:load-rows"));
      if (table.querySelectorAll("template.later").length === waiting) {
        return null;
      }
      rows = Array.prototype.slice.call(table.querySelectorAll("tr.seg"));
    }
  }

  function learnerHides(cell) {
    var learner = document.getElementById("view-learn");
    return learner && learner.checked && !cell.classList.contains("is-revealed");
  }

  // ---- the editor ---------------------------------------------------------------------------

  function button(label, className, title) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "tool " + className;
    element.textContent = label;
    if (title) {
      element.title = title;
    }
    return element;
  }

  function openEditor(row) {
    if (editing) {
      if (editing.row === row) {
        editing.area.focus();
        return;
      }
      if (editing.area.value !== editing.original) {
        editing.area.focus();
        say("Save (Ctrl+Enter) or cancel (Esc) the segment you are editing first.", true);
        return;
      }
      closeEditor(false);
    }
    var text = row.querySelector(".cell.en .text");
    var original = row.hasAttribute("data-target")
      ? row.getAttribute("data-target")
      : text ? text.textContent : "";
    var box = document.createElement("div");
    box.className = "editor";
    var area = document.createElement("textarea");
    area.className = "editor-input";
    area.value = original;
    area.lang = "en";
    area.spellcheck = true;
    area.setAttribute("aria-label", "English translation of segment " + numberOf(row));
    var note = document.createElement("p");
    note.className = "editor-note";
    note.setAttribute("role", "alert");
    var actions = document.createElement("div");
    actions.className = "editor-actions";
    actions.appendChild(button("Save", "primary editor-save", "Save and go to the next (Ctrl+Enter)"));
    actions.appendChild(button("Save as reviewed", "editor-review", "Save and mark reviewed"));
    actions.appendChild(button("Cancel", "editor-cancel", "Esc"));
    box.appendChild(area);
    box.appendChild(note);
    box.appendChild(actions);
    editing = { row: row, box: box, area: area, note: note, version: row.getAttribute("data-version"), original: original };
    attachEditor(row);
    fitArea();
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  function attachEditor(row) {
    var cell = row.querySelector(".cell.en");
    cell.classList.add("is-editing");
    cell.appendChild(editing.box);
  }

  function fitArea() {
    var area = editing.area;
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }

  function closeEditor(focusCell) {
    if (!editing) {
      return;
    }
    var row = editing.row;
    var cell = row.querySelector(".cell.en");
    cell.classList.remove("is-editing");
    editing.box.remove();
    editing = null;
    if (focusCell) {
      cell.focus();
    }
  }

  function setBusy(busy) {
    editing.area.readOnly = busy;
    Array.prototype.forEach.call(editing.box.querySelectorAll("button"), function (element) {
      element.disabled = busy;
    });
  }

  function save(moveOn, reviewed) {
    var current = editing;
    var target = current.area.value;
    var changed = target.trim() !== current.original.trim();
    if (!changed && !reviewed) {
      finish(current.row, moveOn);
      return;
    }
    setBusy(true);
    var step = changed
      ? request("POST", API + "/segments/" + numberOf(current.row), {
          target: target,
          version: current.version,
        })
      : Promise.resolve(null);
    step
      .then(function (answer) {
        if (answer === null) {
          return review(current.row, true, current.version);
        }
        if (answer.ok && reviewed) {
          applyChange(answer.data);
          return review(current.row, true, current.row.getAttribute("data-version"));
        }
        return answer;
      })
      .then(function (answer) {
        if (editing !== current) {
          return;
        }
        setBusy(false);
        if (answer.ok) {
          applyChange(answer.data);
          say("Saved segment " + numberOf(current.row) + progressText(answer.data.progress));
          finish(current.row, moveOn);
        } else if (answer.status === 409 && answer.data.segment) {
          conflict(current, answer.data.segment);
        } else {
          current.note.textContent = answer.data.error || "not saved (" + answer.status + ")";
          say("Not saved: " + (answer.data.error || answer.status), true);
        }
      });
  }

  // Someone else changed the segment: show their text, keep ours in the editor, and let a
  // second save replace theirs knowingly.
  function conflict(current, segment) {
    current.version = segment.version;
    current.original = segment.target;
    showSegment(segment);
    current.note.textContent =
      "Changed meanwhile (another tab or translator): the current text is “" +
      segment.target +
      "”. Your text is kept here: save again to replace it, or Esc to keep the current one.";
    current.box.classList.add("is-conflict");
    say("Not saved: segment " + segment.number + " was changed meanwhile", true);
    current.area.focus();
  }

  function finish(row, moveOn) {
    closeEditor(!moveOn);
    if (moveOn) {
      var next = visibleRowAfter(row);
      if (next) {
        openEditor(next);
        next.scrollIntoView({ block: "nearest" });
      } else {
        row.querySelector(".cell.en").focus();
      }
    }
  }

  function review(row, reviewed, version) {
    return request("POST", API + "/segments/" + numberOf(row) + "/review", {
      version: version,
      reviewed: reviewed,
    });
  }

  function toggleReview(row) {
    var reviewed = !row.classList.contains("is-reviewed");
    review(row, reviewed, row.getAttribute("data-version")).then(function (answer) {
      if (answer.ok) {
        applyChange(answer.data);
        say(
          "Segment " + numberOf(row) + (reviewed ? " reviewed" : " no longer reviewed") +
            progressText(answer.data.progress)
        );
      } else {
        if (answer.data.segment) {
          showSegment(answer.data.segment);
        }
        say("Not changed: " + (answer.data.error || answer.status), true);
      }
    });
  }

  function accept(row) {
    request("POST", API + "/segments/" + numberOf(row) + "/accept", {
      version: row.getAttribute("data-version"),
    }).then(function (answer) {
      if (answer.ok) {
        applyChange(answer.data);
        say("Took the suggestion for segment " + numberOf(row) + progressText(answer.data.progress));
      } else {
        if (answer.data.segment) {
          showSegment(answer.data.segment);
        }
        say("Not taken: " + (answer.data.error || answer.status), true);
      }
    });
  }

  function undo() {
    if (lastEdit === null) {
      return;
    }
    undoButton.disabled = true;
    request("POST", API + "/undo", { operation: lastEdit }).then(function (answer) {
      if (answer.ok) {
        applyChange(answer.data);
        var operation = answer.data.operation;
        say("Undid the " + (operation ? operation.kind : "edit") + progressText(answer.data.progress));
        return;
      }
      request("GET", API).then(function (state) {
        if (state.ok) {
          lastEdit = state.data.last_edit;
        }
        undoButton.disabled = lastEdit === null;
      });
      say(
        answer.status === 409
          ? "Another edit came in since: press Undo again to undo that one"
          : "Not undone: " + (answer.data.error || answer.status),
        true
      );
    });
  }

  undoButton.disabled = lastEdit === null;
  undoButton.addEventListener("click", undo);

  table.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest(".suggestion-accept")) {
      accept(rowOf(target));
      return;
    }
    if (target.closest(".editor")) {
      var row = rowOf(target);
      if (target.closest(".editor-save")) {
        save(false, false);
      } else if (target.closest(".editor-review")) {
        save(false, true);
      } else if (target.closest(".editor-cancel")) {
        closeEditor(true);
      }
      return;
    }
    if (target.closest("details, .flag, .issues, a, button")) {
      return;
    }
    var cell = target.closest(".cell.en");
    var selection = window.getSelection();
    if (cell && !learnerHides(cell) && (!selection || selection.isCollapsed)) {
      openEditor(rowOf(cell));
    }
  });

  table.addEventListener("input", function (event) {
    if (editing && event.target === editing.area) {
      fitArea();
    }
  });

  table.addEventListener("keydown", function (event) {
    var target = event.target;
    if (editing && target === editing.area) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(true, event.shiftKey);
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeEditor(true);
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var cell = target.classList && target.classList.contains("cell") ? target : null;
    if (!cell) {
      return;
    }
    if (event.key === "Enter" && cell.classList.contains("en") && !learnerHides(cell)) {
      event.preventDefault();
      openEditor(rowOf(cell));
    } else if (event.key === "r") {
      event.preventDefault();
      toggleReview(rowOf(cell));
    }
  });

  // The index's "continue" link lands on a row: start there.
  if (/^#s\d+$/.test(window.location.hash)) {
    var landing = document.getElementById(window.location.hash.slice(1));
    if (landing) {
      landing.querySelector(".cell.en").focus();
    }
  }

  // ---- glossary -----------------------------------------------------------------------------

  var panel = document.getElementById("glossary-panel");
  var toggle = document.getElementById("glossary-toggle");
  var entriesList = document.getElementById("glossary-entries");
  var filterInput = document.getElementById("glossary-filter");
  var dialog = document.getElementById("term-dialog");
  var fromSelection = document.getElementById("term-from-selection");
  var fields = {
    source: document.getElementById("term-source"),
    target: document.getElementById("term-target"),
    status: document.getElementById("term-status"),
    note: document.getElementById("term-note"),
  };
  var termError = document.getElementById("term-error");
  var termSave = document.getElementById("term-save");
  var replacing = null; // the entry the dialog edits, or null when it adds one
  var entries = [];
  var hasGlossary = meta("bilingual-glossary") !== "";

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  function renderEntries() {
    var wanted = filterInput.value.trim().toLowerCase();
    entriesList.replaceChildren();
    entries.forEach(function (entry, index) {
      var haystack = (entry.source + " " + entry.target + " " + entry.note).toLowerCase();
      if (wanted && haystack.indexOf(wanted) < 0) {
        return;
      }
      var item = element("li", "glossary-entry");
      item.setAttribute("data-index", String(index));
      var terms = element("p", "entry-terms");
      var source = element("span", "entry-source", entry.source);
      source.lang = "fr";
      terms.appendChild(source);
      terms.appendChild(document.createTextNode(" → "));
      terms.appendChild(element("span", "entry-target", entry.target));
      terms.appendChild(element("span", "entry-status status-" + entry.status, entry.status));
      item.appendChild(terms);
      if (entry.note) {
        item.appendChild(element("p", "entry-note", entry.note));
      }
      var actions = element("div", "entry-actions");
      actions.appendChild(button("Edit", "entry-edit"));
      actions.appendChild(button("Remove", "entry-remove"));
      item.appendChild(actions);
      entriesList.appendChild(item);
    });
    if (!entriesList.firstChild) {
      entriesList.appendChild(element("li", "glossary-none", entries.length ? "No entry matches." : "No entry yet."));
    }
  }

  function loadEntries() {
    return request("GET", "/api/glossary").then(function (answer) {
      if (answer.ok) {
        entries = answer.data.entries;
        renderEntries();
      } else {
        say("The glossary cannot be read: " + (answer.data.error || answer.status), true);
      }
    });
  }

  function openPanel(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("has-panel", open);
    if (open) {
      loadEntries();
      filterInput.focus();
    }
  }

  toggle.addEventListener("click", function () {
    openPanel(panel.hidden);
  });
  document.getElementById("glossary-close").addEventListener("click", function () {
    openPanel(false);
    toggle.focus();
  });
  filterInput.addEventListener("input", renderEntries);

  entriesList.addEventListener("click", function (event) {
    var item = event.target.closest(".glossary-entry");
    if (!item) {
      return;
    }
    var entry = entries[Number(item.getAttribute("data-index"))];
    if (event.target.closest(".entry-edit")) {
      openDialog(entry);
    } else if (event.target.closest(".entry-remove")) {
      var removeButton = event.target.closest(".entry-remove");
      // Two steps: a removal takes one click more than a slip of the hand.
      if (!removeButton.classList.contains("is-armed")) {
        removeButton.classList.add("is-armed");
        removeButton.textContent = "Remove “" + entry.source + "”?";
        return;
      }
      changeGlossary("/api/glossary/remove", { source: entry.source, target: entry.target }).then(
        function (answer) {
          if (answer.ok) {
            say("Removed “" + entry.source + "” from the glossary" + rechecked(answer.data));
          }
        }
      );
    }
  });

  function rechecked(data) {
    var count = (data.segments || []).length;
    return count ? "; " + count + " segment" + (count > 1 ? "s" : "") + " checked again" : "";
  }

  function changeGlossary(url, body) {
    body.text = TEXT;
    return request("POST", url, body).then(function (answer) {
      if (answer.ok) {
        entries = answer.data.entries;
        renderEntries();
        applyChange(answer.data);
      } else {
        say("The glossary was not changed: " + (answer.data.error || answer.status), true);
      }
      return answer;
    });
  }

  function openDialog(entry, source) {
    replacing = entry || null;
    fields.source.value = entry ? entry.source : source || "";
    fields.target.value = entry ? entry.target : "";
    fields.status.value = entry ? entry.status : "preferred";
    fields.note.value = entry ? entry.note : "";
    termError.textContent = "";
    document.getElementById("term-title").textContent = entry ? "Edit the glossary entry" : "Add to the glossary";
    termSave.textContent = entry ? "Save" : "Add";
    dialog.showModal();
    (entry || !source ? fields.source : fields.target).focus();
  }

  termSave.addEventListener("click", function () {
    var entry = {
      source: fields.source.value,
      target: fields.target.value,
      status: fields.status.value,
      note: fields.note.value,
    };
    var sent = replacing
      ? changeGlossary("/api/glossary/replace", { source: replacing.source, target: replacing.target, entry: entry })
      : changeGlossary("/api/glossary", entry);
    sent.then(function (answer) {
      if (answer.ok) {
        dialog.close();
        say((replacing ? "Changed “" : "Added “") + entry.source + "” in the glossary" + rechecked(answer.data));
      } else {
        termError.textContent = answer.data.error || "not saved (" + answer.status + ")";
      }
    });
  });
  document.getElementById("term-cancel").addEventListener("click", function () {
    dialog.close();
  });

  // Select French words, then "Add to glossary".
  function frenchSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.parentElement;
    var cell = start ? start.closest(".cell.fr") : null;
    if (!cell || !cell.contains(range.endContainer)) {
      return null;
    }
    var text = selection.toString().replace(/\s+/g, " ").trim();
    return text ? { text: text, rect: range.getBoundingClientRect() } : null;
  }

  function placeSelectionButton() {
    var found = hasGlossary ? frenchSelection() : null;
    fromSelection.hidden = !found;
    if (found) {
      fromSelection.style.top = window.scrollY + found.rect.bottom + 6 + "px";
      fromSelection.style.left = window.scrollX + found.rect.left + "px";
      fromSelection.setAttribute("data-term", found.text);
    }
  }

  document.addEventListener("selectionchange", function () {
    window.clearTimeout(placeSelectionButton.timer);
    placeSelectionButton.timer = window.setTimeout(placeSelectionButton, 150);
  });
  fromSelection.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the selection
  });
  fromSelection.addEventListener("click", function () {
    fromSelection.hidden = true;
    openDialog(null, fromSelection.getAttribute("data-term"));
  });
})();
