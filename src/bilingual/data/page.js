// bilingual reading page: pair highlighting, keyboard navigation, remembered view, learner reveal.
// Inlined into every generated page and allowed by its hash in the Content-Security-Policy.
(function () {
  "use strict";

  var STORAGE_KEY = "bilingual.view";
  var table = document.querySelector(".parallel");
  if (!table) {
    return;
  }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.seg"));
  var hoveredRow = null;
  var focusedRow = null;

  // A long text keeps most of its rows in inert <template class="later"> chunks (the browser
  // neither styles nor lays them out): they come in one by one as the reader nears the end of
  // what is shown, in the background when the page is idle, and all at once before printing or
  // to reach a link's target.
  function loadNextChunk() {
    var later = table.querySelector("template.later");
    if (!later) {
      return false;
    }
    later.parentNode.replaceChild(later.content, later);
    rows = Array.prototype.slice.call(table.querySelectorAll("tr.seg"));
    watchEnd();
    return true;
  }

  function loadUntil(found) {
    while (!found() && loadNextChunk()) {
      /* keep loading */
    }
  }

  var endWatcher = null;
  function watchEnd() {
    if (!endWatcher || !table.querySelector("template.later")) {
      return;
    }
    endWatcher.disconnect();
    endWatcher.observe(rows[rows.length - 1]);
  }

  // Another script of the page (the editor of bilingual serve) may need the next rows now.
  table.addEventListener("bilingual:load-rows", loadNextChunk);

  if (table.querySelector("template.later")) {
    if ("IntersectionObserver" in window) {
      endWatcher = new IntersectionObserver(
        function (entries) {
          if (entries.some(function (entry) { return entry.isIntersecting; })) {
            loadNextChunk();
          }
        },
        { rootMargin: "3000px 0px" }
      );
      watchEnd();
    }
    var inBackground = function () {
      if (loadNextChunk()) {
        window.setTimeout(inBackground, 250);
      }
    };
    window.setTimeout(inBackground, 1000);
    window.addEventListener("beforeprint", function () {
      loadUntil(function () { return false; });
    });
    var reachTarget = function () {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (id && !document.getElementById(id)) {
        loadUntil(function () { return document.getElementById(id) !== null; });
        var target = document.getElementById(id);
        if (target) {
          target.scrollIntoView();
        }
      }
    };
    window.addEventListener("hashchange", reachTarget);
    reachTarget();
  }

  // localStorage throws on some file:// pages and in private modes: the view is then simply not
  // remembered.
  function recallView() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null;
    }
  }

  function rememberView(view) {
    try {
      window.localStorage.setItem(STORAGE_KEY, view);
    } catch (error) {
      /* not remembered */
    }
  }

  function learnerMode() {
    var radio = document.getElementById("view-learn");
    return radio !== null && radio.checked;
  }

  function repaint() {
    var lit = table.querySelectorAll(".is-highlighted");
    for (var i = 0; i < lit.length; i++) {
      lit[i].classList.remove("is-highlighted");
    }
    [hoveredRow, focusedRow].forEach(function (row) {
      if (row) {
        var cells = row.querySelectorAll(".cell");
        for (var j = 0; j < cells.length; j++) {
          cells[j].classList.add("is-highlighted");
        }
      }
    });
  }

  function rowOf(node) {
    return node && node.closest ? node.closest("tr.seg") : null;
  }

  function isShown(element) {
    return element.getClientRects().length > 0;
  }

  function reveal(cell, toggle) {
    if (cell.classList.contains("en") && learnerMode()) {
      cell.classList[toggle ? "toggle" : "add"]("is-revealed");
    }
  }

  // The cell to focus in ``row``: same language as ``current`` when that column is shown.
  function cellIn(row, current) {
    var wanted = current && current.classList.contains("en") ? ".cell.en" : ".cell.fr";
    var cell = row.querySelector(wanted);
    if (!cell || !isShown(cell)) {
      cell = row.querySelector(wanted === ".cell.en" ? ".cell.fr" : ".cell.en");
    }
    return cell && isShown(cell) ? cell : null;
  }

  function firstRowInView() {
    var toolbar = document.querySelector(".toolbar");
    var top = toolbar ? toolbar.getBoundingClientRect().bottom : 0;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getBoundingClientRect().bottom > top) {
        return i;
      }
    }
    return 0;
  }

  function move(step, current) {
    var index = current ? rows.indexOf(rowOf(current)) + step : firstRowInView();
    if (index >= rows.length) {
      loadNextChunk();
    }
    if (index < 0 || index >= rows.length) {
      return;
    }
    var cell = cellIn(rows[index], current);
    if (cell) {
      cell.focus();
    }
  }

  function closeFlags(except) {
    var open = document.querySelectorAll('.flag[aria-expanded="true"]');
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) {
        open[i].setAttribute("aria-expanded", "false");
      }
    }
  }

  var saved = recallView();
  if (saved) {
    var radio = document.getElementById("view-" + saved);
    if (radio && radio.name === "view") {
      radio.checked = true;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name !== "view") {
      return;
    }
    rememberView(target.value);
    // Entering learner mode starts a fresh exercise.
    var revealed = table.querySelectorAll(".is-revealed");
    for (var i = 0; i < revealed.length; i++) {
      revealed[i].classList.remove("is-revealed");
    }
  });

  table.addEventListener("mouseover", function (event) {
    var row = rowOf(event.target);
    if (row !== hoveredRow) {
      hoveredRow = row;
      repaint();
    }
    var mark = event.target.closest ? event.target.closest("mark[data-pair]") : null;
    var paired = table.querySelectorAll(".mark.is-paired");
    for (var i = 0; i < paired.length; i++) {
      paired[i].classList.remove("is-paired");
    }
    if (mark) {
      var both = table.querySelectorAll('mark[data-pair="' + mark.getAttribute("data-pair") + '"]');
      for (var j = 0; j < both.length; j++) {
        both[j].classList.add("is-paired");
      }
    }
  });

  table.addEventListener("mouseleave", function () {
    hoveredRow = null;
    repaint();
  });

  table.addEventListener("focusin", function (event) {
    focusedRow = rowOf(event.target);
    repaint();
  });

  table.addEventListener("focusout", function (event) {
    if (!rowOf(event.relatedTarget)) {
      focusedRow = null;
      repaint();
    }
  });

  table.addEventListener("click", function (event) {
    var flag = event.target.closest ? event.target.closest(".flag") : null;
    if (flag) {
      var open = flag.getAttribute("aria-expanded") !== "true";
      closeFlags(flag);
      flag.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    var cell = event.target.closest ? event.target.closest(".cell") : null;
    if (cell) {
      reveal(cell, false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    if (event.key === "Escape") {
      closeFlags(null);
      // A focused flag keeps its list open: hand focus back to the segment.
      if (target.classList && target.classList.contains("flag")) {
        var back = cellIn(rowOf(target), null);
        if (back) {
          back.focus();
        }
      }
      return;
    }
    var cell = target.classList && target.classList.contains("cell") ? target : null;
    var key = event.key;
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1, cell);
    } else if (cell && (key === "ArrowDown" || key === "ArrowUp")) {
      move(key === "ArrowDown" ? 1 : -1, cell);
    } else if (cell && (key === "ArrowLeft" || key === "ArrowRight" || key === "h" || key === "l")) {
      var other = rowOf(cell).querySelector(
        key === "ArrowLeft" || key === "h" ? ".cell.fr" : ".cell.en"
      );
      if (other && isShown(other)) {
        other.focus();
      }
    } else if (cell && (key === "Enter" || key === " ")) {
      reveal(cell, true);
    } else {
      return;
    }
    event.preventDefault();
  });
})();
