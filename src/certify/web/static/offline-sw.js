/* The inspector's service worker (served as /offline-sw.js, scope /besiktningar; see
   certify/web/offline_app.py). It keeps what the inspector has opened so that it opens again
   without a connection:
   - pages under /besiktningar: from the network when there is one (and the copy kept), else the
     kept copy (the query string, e.g. ?klart=…, is not part of the copy's name);
   - the site's static files: the kept copy at once, refreshed in the background;
   - evidence thumbnails (immutable by their URL): the kept copy, else the network.
   Writes (POST, PUT) are never touched here: the page's outbox (offline.js) sends them. */
"use strict";

var CACHE = "certify-offline-v1";
var SCOPE = "/besiktningar";

self.addEventListener("install", function (event) {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("certify-offline-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function inScope(url) {
  return url.pathname === SCOPE || url.pathname.indexOf(SCOPE + "/") === 0;
}

function keep(key, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
  }
  return response;
}

function page(request, url) {
  var key = url.origin + url.pathname;
  return fetch(request).then(function (response) {
    return keep(key, response);
  }).catch(function () {
    return caches.match(key).then(function (kept) {
      return kept || caches.match(url.origin + SCOPE).then(function (queue) {
        return queue || Response.error();
      });
    });
  });
}

function keptFirst(request, refresh) {
  return caches.match(request).then(function (kept) {
    if (kept && !refresh) return kept;
    var fresh = fetch(request).then(function (response) { return keep(request, response); });
    if (!kept) return fresh;
    fresh.catch(function () { return null; }); /* no connection: the kept copy will do */
    return kept;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (inScope(url)) event.respondWith(page(request, url));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(keptFirst(request, true));
  } else if (/^\/api\/evidence\/\d+\/thumbnail$/.test(url.pathname)) {
    event.respondWith(keptFirst(request, false));
  } else if (/^\/api\/evidence\/\d+$/.test(url.pathname)) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request).then(function (kept) { return kept || Response.error(); });
    }));
  }
});
