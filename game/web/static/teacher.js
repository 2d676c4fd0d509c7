// Moscow, 1956 — the teacher's dashboard and projector view, kept up to date without reloading:
// the page listens to its class's server-sent events and fetches its live panel again whenever
// something changed (a student joined, chose, finished; a control was used). Only this server is
// ever asked. Without JavaScript the page is the same, as of when it was opened (reload to update).
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main || !("EventSource" in window)) return;
  var pending = false;   // a fetch is planned or under way
  var again = false;     // something changed since that fetch was asked for
  var last = 0;          // when the last fetch began
  var GAP = 1000;        // at most one fetch a second: 30 students moving cost the server one panel a second

  // A teacher in the middle of using the panel (a side chosen in a student's list, not yet set)
  // keeps it: it is replaced once the focus has left it.
  function inUse() {
    var panel = document.getElementById("panel");
    var active = document.activeElement;
    return !!(panel && active && active !== panel && panel.contains(active) &&
              /^(SELECT|INPUT|BUTTON|TEXTAREA)$/.test(active.tagName));
  }

  function refresh() {
    if (pending) { again = true; return; }
    pending = true;
    again = false;
    // a burst of changes (a pair's move and the record's answer) is fetched once
    window.setTimeout(fetchPanel, Math.max(300, last + GAP - Date.now()));
  }

  function fetchPanel() {
    if (inUse()) { pending = false; again = true; return; }   // focusout below asks again
    last = Date.now();
    fetch(main.dataset.panel, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html && !inUse()) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("panel");
          var old = document.getElementById("panel");
          if (fresh && old) old.replaceWith(fresh);
        } else if (html) {
          again = true;
        }
      })
      .catch(function () { /* the server is away: the stream reconnecting fetches again */ })
      .then(function () {
        pending = false;
        if (again) refresh();    // a change that came during the fetch is fetched too
      });
  }

  document.addEventListener("focusout", function () {
    if (again && !pending) window.setTimeout(refresh, 0);   // once the focus has moved on
  });

  // The browser reconnects by itself after a dropped stream, but gives up for good when a
  // reconnection is answered badly (a server still starting): then this page opens a new one.
  function listen() {
    var events = new EventSource(main.dataset.live);
    events.addEventListener("changed", refresh);
    // on every (re)connection: whatever changed while the page was not listening
    events.addEventListener("open", refresh);
    events.addEventListener("error", function () {
      if (events.readyState === EventSource.CLOSED) window.setTimeout(listen, 2000);
    });
  }
  listen();
})();
