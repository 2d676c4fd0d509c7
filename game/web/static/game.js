// Moscow, 1956 — the browser edition's own small script. The pages work without it (a page of the
// talks shows everything said up to the next choice, and every move is an ordinary form); with it:
// - the talks are read a line at a time, as in the game window: Continue shows the next line, and
//   the choice (or the hand-over) comes only after the last one, its options unusable for a
//   moment so that the press that showed them cannot also answer them;
// - the keys of the window: 1–9 choose, Enter continues, B back to the last choice, S the source
//   of the line on screen, G the glossary, L what was said;
// - each new line (or the choice) is announced through a live region, and read aloud with the
//   browser's own speech when the player asked for it.
// No request goes anywhere but this server.
(function () {
  "use strict";

  var GRACE = 350;   // ms during which options that just appeared ignore presses

  function textOf(line) {
    return line.querySelector(".speaker").textContent + ": " + line.querySelector(".said").textContent +
      " (" + line.querySelector(".mark").textContent.trim() + ")";
  }

  function announce(text) {
    var region = document.getElementById("announce");
    if (region && text) window.setTimeout(function () { region.textContent = text; }, 60);
    if (document.documentElement.dataset.voice === "on" && "speechSynthesis" in window && text) {
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    }
  }

  function talks() {
    var list = document.querySelector("ol.talk");
    var then = document.querySelector(".then");
    if (!list) return;
    var lines = Array.prototype.slice.call(list.querySelectorAll("li.line"));
    var key = "m56-read:" + list.dataset.at;
    var shown = Math.max(1, lines.findIndex(function (l) { return !l.dataset.seen; }) + 1);
    var saved = parseInt(window.sessionStorage.getItem(key) || "0", 10);
    if (saved > shown) shown = saved;
    if (shown >= lines.length) { finish(then, false); return; }
    lines.forEach(function (line, i) { if (i >= shown) line.hidden = true; });
    var later = then ? then.querySelector("[data-testid=continue]") : null;
    if (later) later.dataset.testid = "continue-later";
    if (then) then.hidden = true;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "primary reveal";
    more.dataset.testid = "continue";
    more.dataset.key = "enter";
    more.textContent = "Continue";
    list.after(more);
    lines[shown - 1].scrollIntoView({block: "nearest"});
    more.focus({preventScroll: true});
    announce(textOf(lines[shown - 1]));
    more.addEventListener("click", function () {
      var next = lines[shown];
      next.hidden = false;
      shown += 1;
      window.sessionStorage.setItem(key, String(shown));
      announce(textOf(next));
      if (shown >= lines.length) {
        more.remove();
        if (later) later.dataset.testid = "continue";
        finish(then, true);
      } else {
        more.scrollIntoView({block: "nearest"});
      }
    });
  }

  function finish(then, justShown) {
    if (!then) return;
    then.hidden = false;
    var options = then.querySelectorAll("[data-testid=option]");
    if (justShown && options.length) {
      options.forEach(function (b) { b.disabled = true; });
      window.setTimeout(function () { options.forEach(function (b) { b.disabled = false; }); }, GRACE);
    }
    var legend = then.querySelector("legend");
    var primary = then.querySelector("[data-testid=continue]");
    if (legend) {
      legend.focus({preventScroll: true});      // the question first: no option is pre-selected
      announce(legend.textContent.replace(/\s+/g, " ").trim());
    } else if (primary) {
      primary.focus({preventScroll: true});
    }
    then.scrollIntoView({block: "nearest"});
  }

  function visible(selector) {
    var all = document.querySelectorAll(selector);
    for (var i = 0; i < all.length; i++) {
      if (all[i].offsetParent !== null && !all[i].disabled) return all[i];
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var target = null;
    if (/^[1-9]$/.test(key)) {
      target = visible('[data-testid=option][data-key="' + key + '"]');
    } else if (key === "Enter") {
      if (tag === "button" || tag === "a") return;     // Enter on a focused control does what it says
      target = visible("[data-testid=continue]");
    } else if (key === "s") {
      var lines = document.querySelectorAll("ol.talk li.line:not([hidden])");
      var last = lines.length ? lines[lines.length - 1].querySelector("[data-source]") : null;
      target = last || document.querySelector('header [data-key="s"]');
    } else if (key === "b" || key === "g" || key === "l") {
      target = visible('main [data-key="' + key + '"]') || document.querySelector('header [data-key="' + key + '"]');
    }
    if (target) {
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

  // A page that waits for the class (paused, a partner's move, the debrief held) looks again when
  // its class changes: the server says only that something changed, never what anyone chose.
  function listen() {
    var main = document.querySelector("main[data-live]");
    if (!main || !("EventSource" in window)) return;
    var events = new EventSource(main.dataset.live);
    events.addEventListener("changed", function () { window.location.reload(); });
    // a reconnection answered badly (a server still starting) ends the stream: open a new one
    events.addEventListener("error", function () {
      if (events.readyState === EventSource.CLOSED) window.setTimeout(listen, 2000);
    });
  }

  function start() {
    listen();
    talks();
    if (!document.querySelector("ol.talk")) {
      var first = document.querySelector("[autofocus]");
      if (first && document.activeElement === document.body) first.focus();
    }
  }

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
