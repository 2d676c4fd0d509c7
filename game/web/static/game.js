// Moscow, 1956 — the browser edition's own small script. The pages work without it (every move
// of the talks is an ordinary form, so each page is a real page); with it:
// - the keys of the game window: 1–9 choose, Enter continues, B back to the last choice,
//   S the source of the line on screen, G the glossary, L what was said;
// - the focus goes to what comes next (the option list, or Continue), and the newest line (or the
//   choice) is announced to screen readers through a live region filled after the page loads;
// - new lines are read aloud with the browser's own speech, when the player asked for it.
// No request goes anywhere but this server.
(function () {
  "use strict";

  function newest() {
    var now = document.querySelector("#now");
    if (now) {
      return now.querySelector(".speaker").textContent + ": " + now.querySelector(".said").textContent +
        " (" + now.querySelector(".mark").textContent.trim() + ")";
    }
    var legend = document.querySelector(".choice legend, .handover h1");
    return legend ? legend.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function announce(text) {
    var region = document.getElementById("announce");
    if (!region || !text) return;
    window.setTimeout(function () { region.textContent = text; }, 120);   // after load: read as a change
  }

  function speak(text) {
    if (document.documentElement.dataset.voice !== "on" || !("speechSynthesis" in window) || !text) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function start() {
    var text = newest();
    announce(text);
    speak(text);
    // The page itself puts the focus on what comes next (autofocus: Continue, or the question of
    // a choice, never an option); a browser that ignored it gets it here.
    var first = document.querySelector("[autofocus]");
    if (first && document.activeElement === document.body) first.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var target = null;
    if (/^[1-9]$/.test(key)) {
      target = document.querySelector('[data-testid=option][data-key="' + key + '"]');
    } else if (key === "Enter") {
      if (tag === "button" || tag === "a") return;     // Enter on a focused control does what it says
      target = document.querySelector('[data-key="enter"]');
    } else if (key === "b" || key === "s" || key === "g" || key === "l") {
      // the page's own control first (the source of the line on screen), then the menu's
      target = document.querySelector('main [data-key="' + key + '"]') ||
        document.querySelector('[data-key="' + key + '"]');
    }
    if (target && !target.disabled) {
      event.preventDefault();
      target.click();
    }
  });

  // A form sent twice (a double click) would be refused as out of date by the server anyway;
  // here the second press simply does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
