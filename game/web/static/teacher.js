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

  function refresh() {
    if (pending) { again = true; return; }
    pending = true;
    again = false;
    window.setTimeout(function () {
      fetch(main.dataset.panel, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.getElementById("panel");
            var old = document.getElementById("panel");
            if (fresh && old) old.replaceWith(fresh);
          }
        })
        .catch(function () { /* the server is away: the stream reconnecting fetches again */ })
        .then(function () {
          pending = false;
          if (again) refresh();    // a change that came during the fetch is fetched too
        });
    }, 300);   // a burst of changes (a pair's move and the record's answer) is fetched once
  }

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
