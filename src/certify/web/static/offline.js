/* The inspector's pages without a connection. Progressive enhancement: without JavaScript (or
   without service workers and IndexedDB) the pages and their forms work exactly as before.

   - Registers the service worker (/offline-sw.js, scope /besiktningar), which keeps the pages.
   - On "Mina besiktningar" with a connection: keeps today's and the coming inspections' pages, with
     their thumbnails, so they open without one.
   - Offline, a point's form is kept in an outbox in IndexedDB instead of being posted: the verdict
     (with remark and failed criteria) as one entry, each photo (shrunk, photos.js) as one entry of
     its own, each with an id made on the phone that is sent as the Idempotency-Key.
   - On page load and when the connection returns, the outbox is sent in the order it was made to
     the JSON API (PUT …/verdicts/{point}, POST …/evidence). A write the server refuses stays in the
     outbox, shown with the reason and what to do; the inspector removes it herself.
   All words come from the page (data-words, certify.text.offline). */
(function () {
  "use strict";
  var status = document.getElementById("offline-status");
  if (!status || !("serviceWorker" in navigator) || !window.indexedDB || !window.caches || !window.fetch) return;

  var CACHE = "certify-offline-v1";
  var words = JSON.parse(status.getAttribute("data-words") || "{}");
  var lastSync = new Date(status.getAttribute("data-made-at"));
  var lang = document.documentElement.lang || "sv";
  var here = location.origin + location.pathname;
  var line = status.querySelector("[data-offline-line]");
  var waitingLine = status.querySelector("[data-offline-waiting]");
  var refusedBox = status.querySelector("[data-offline-refused]");
  var refusedList = status.querySelector("[data-offline-refused-list]");
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-offline-point]"));
  var caseId = forms.length ? Number(forms[0].getAttribute("data-offline-case")) : null;
  var saved = false;
  var syncing = false;
  var syncedNow = false;
  status.hidden = false;
  status.querySelector("[data-offline-refused-title]").textContent = words.refused_title;

  function word(key, values) {
    return (words[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return String((values || {})[name]); });
  }

  function when(moment) {
    return new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" }).format(moment);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* ---- the outbox (IndexedDB: one object store, in the order made) ---- */
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("certify-offline", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }

  function outbox(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("outbox", mode);
        var request = work(transaction.objectStore("outbox"));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function entries() { return outbox("readonly", function (store) { return store.getAll(); }); }
  function keep(entry) { return outbox("readwrite", function (store) { return store.put(entry); }); }
  function drop(seq) { return outbox("readwrite", function (store) { return store.delete(seq); }); }

  /* ---- the copy on the phone ---- */
  function cacheSubresources(cache, doc) {
    var urls = [];
    doc.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], script[src], img[src]").forEach(function (node) {
      var url = new URL(node.getAttribute("href") || node.getAttribute("src"), location.href);
      if (url.origin === location.origin) urls.push(url.href);
    });
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (kept) { return kept || cache.add(url); }).catch(function () { return null; });
    }));
  }

  function cachePage(cache, url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) return null;
      return cache.put(url, response.clone()).then(function () { return response.text(); }).then(function (html) {
        return cacheSubresources(cache, new DOMParser().parseFromString(html, "text/html"));
      });
    }).catch(function () { return null; });
  }

  function keepUpcoming() {
    var urls = [here];
    document.querySelectorAll("a[data-offline-case]").forEach(function (link) {
      urls.push(new URL(link.getAttribute("href"), location.href).href);
    });
    line.textContent = words.saving;
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) { return cachePage(cache, url); }));
    }).then(function () {
      saved = true;
      lastSync = new Date();
    });
  }

  /* ---- what the page shows ---- */
  function describe(entry) {
    return entry.kind === "photo" ? word("photo", { point: entry.point, name: entry.name }) : word("verdict", { point: entry.point });
  }

  function refusedItem(entry) {
    var item = document.createElement("li");
    var label = document.createElement("strong");
    label.textContent = describe(entry);
    var reason = document.createElement("p");
    var refusal = entry.refused;
    if (refusal.status === 404 || refusal.status === 403) reason.textContent = refusal.reason + " " + words.refused_404;
    else if (refusal.status === 409) reason.textContent = refusal.reason + " " + words.refused_409;
    else reason.textContent = word("refused_422", { reason: refusal.reason });
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "button button--secondary";
    retry.textContent = words.retry;
    retry.addEventListener("click", function () {
      delete entry.refused;
      keep(entry).then(sync);
    });
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--danger";
    discard.textContent = words.discard;
    discard.addEventListener("click", function () { drop(entry.seq).then(show); });
    item.append(label, reason, retry, " ", discard);
    return item;
  }

  function pendingMarker(form) {
    var marker = form.querySelector("[data-offline-pending]");
    if (!marker) {
      marker = document.createElement("div");
      marker.className = "offline-pending";
      marker.setAttribute("data-offline-pending", "");
      form.insertBefore(marker, form.querySelector("button[type=submit]"));
    }
    return marker;
  }

  function show() {
    return entries().then(function (all) {
      var waiting = all.filter(function (entry) { return !entry.refused; });
      var refused = all.filter(function (entry) { return entry.refused && (caseId === null || entry.caseId === caseId); });
      var parts = [];
      if (!navigator.onLine) parts.push(words.offline);
      if (syncing) parts.push(words.sending);
      else if (syncedNow && waiting.length === 0) parts.push(word("synced", { time: when(lastSync) }));
      else parts.push(saved ? word("saved", { time: when(lastSync) }) : words.not_saved);
      line.textContent = parts.join(" ");
      waitingLine.hidden = waiting.length === 0;
      waitingLine.textContent = word("waiting", { count: waiting.length });
      refusedBox.hidden = refused.length === 0;
      refusedList.replaceChildren.apply(refusedList, refused.map(refusedItem));
      forms.forEach(function (form) {
        var point = Number(form.getAttribute("data-offline-point"));
        var mine = waiting.filter(function (entry) { return entry.caseId === caseId && entry.point === point; });
        var marker = form.querySelector("[data-offline-pending]");
        if (mine.length === 0) {
          if (marker) marker.remove();
          return;
        }
        marker = pendingMarker(form);
        var said = document.createElement("p");
        said.textContent = words.pending;
        var list = document.createElement("ul");
        mine.forEach(function (entry) {
          var item = document.createElement("li");
          item.textContent = describe(entry);
          list.append(item);
        });
        marker.replaceChildren(said, list);
      });
      decisions();
    });
  }

  /* A kept verdict shows in its form again, as if it were saved. */
  function restore() {
    return entries().then(function (all) {
      forms.forEach(function (form) {
        var point = Number(form.getAttribute("data-offline-point"));
        var latest = null;
        all.forEach(function (entry) {
          if (entry.kind === "verdict" && !entry.refused && entry.caseId === caseId && entry.point === point) latest = entry;
        });
        if (!latest) return;
        form.querySelectorAll("input[name=bedomning]").forEach(function (input) { input.checked = input.value === latest.body.verdict; });
        form.querySelector("textarea[name=anmarkning]").value = latest.body.remark;
        latest.body.failed_criteria.forEach(function (criterion) {
          var input = form.querySelector('input[name="kriterium-' + criterion + '"][value=not_met]');
          if (input) input.checked = true;
        });
      });
    });
  }

  /* Deciding needs the server: offline, the decision buttons wait and say so. */
  function decisions() {
    document.querySelectorAll("[data-needs-connection]").forEach(function (section) {
      var offline = !navigator.onLine;
      var note = section.querySelector("[data-offline-decide]");
      if (note) {
        note.textContent = words[note.getAttribute("data-offline-decide")] || words.decide_offline;
        note.hidden = !offline;
      }
      section.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = offline; });
    });
  }

  /* ---- writing without a connection ---- */
  function keepForm(form) {
    var point = Number(form.getAttribute("data-offline-point"));
    var made = [];
    var chosen = form.querySelector("input[name=bedomning]:checked");
    if (chosen) {
      var failed = [];
      form.querySelectorAll('input[type=radio][name^="kriterium-"]:checked').forEach(function (input) {
        if (input.value === "not_met") failed.push(input.name.slice("kriterium-".length));
      });
      made.push({
        kind: "verdict", id: newId(), caseId: caseId, point: point, madeAt: Date.now(),
        body: { verdict: chosen.value, remark: form.querySelector("textarea[name=anmarkning]").value, failed_criteria: failed },
      });
    }
    var input = form.querySelector("input[type=file]");
    var files = Array.prototype.slice.call((input && input.files) || []);
    var shrink = window.certifyPhotos ? window.certifyPhotos.shrink : function (file) { return Promise.resolve(file); };
    return Promise.all(files.map(shrink)).then(function (photos) {
      photos.forEach(function (photo) {
        made.push({ kind: "photo", id: newId(), caseId: caseId, point: point, madeAt: Date.now(), blob: photo, name: photo.name });
      });
      return made.reduce(function (chain, entry) { return chain.then(function () { return keep(entry); }); }, Promise.resolve());
    }).then(function () {
      if (input) input.value = "";
      return show();
    });
  }

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!navigator.onLine) {
        keepForm(form);
        return;
      }
      var post = function () { form.submit(); }; /* the form's own POST, photos shrunk */
      (window.certifyPhotos ? window.certifyPhotos.shrinkForm(form) : Promise.resolve()).then(post, post);
    });
  });

  /* ---- sending ---- */
  function send(entry) {
    var headers = { "Idempotency-Key": entry.id, Accept: "application/json" };
    if (entry.kind === "photo") {
      var data = new FormData();
      data.append("file", entry.blob, entry.name);
      return fetch("/api/applications/" + entry.caseId + "/evidence?point=" + entry.point, {
        method: "POST", headers: headers, body: data, credentials: "same-origin",
      });
    }
    headers["Content-Type"] = "application/json";
    return fetch("/api/applications/" + entry.caseId + "/verdicts/" + entry.point, {
      method: "PUT", headers: headers, body: JSON.stringify(entry.body), credentials: "same-origin",
    });
  }

  /* Worth trying again later (no answer, the server busy or not logged in): not a refusal. */
  function later(response, code) {
    return response.status >= 500 || response.status === 401 || response.status === 408 ||
      response.status === 429 || code === "idempotency_in_progress";
  }

  function sendOne(entry) {
    return send(entry).then(function (response) {
      if (response.ok) return drop(entry.seq).then(function () { return "sent"; });
      return response.json().catch(function () { return {}; }).then(function (body) {
        var code = body && body.extra ? body.extra.code : "";
        if (later(response, code)) return "stop";
        entry.refused = { status: response.status, code: code || "", reason: (body && body.detail) || String(response.status) };
        return keep(entry).then(function () { return "refused"; });
      });
    }, function () { return "stop"; });
  }

  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var sent = 0;
    var stopped = false;
    return entries().then(function (all) {
      var waiting = all.filter(function (entry) { return !entry.refused; });
      if (waiting.length === 0) return null;
      show();
      return waiting.reduce(function (chain, entry) {
        return chain.then(function () {
          if (stopped) return null;
          return sendOne(entry).then(function (outcome) {
            if (outcome === "stop") stopped = true;
            if (outcome === "sent") sent += 1;
          });
        });
      }, Promise.resolve());
    }).then(function () {
      if (sent > 0 && !stopped) {
        lastSync = new Date();
        syncedNow = true;
        return caches.open(CACHE).then(function (cache) { return cachePage(cache, here); }).then(function () { saved = true; });
      }
      return null;
    }).catch(function () { return null; }).then(function () {
      syncing = false;
      return show();
    });
  }

  /* ---- start ---- */
  navigator.serviceWorker.register("/offline-sw.js", { scope: "/besiktningar" }).catch(function () { return null; });
  document.querySelectorAll('form[action="/logga-ut"]').forEach(function (form) {
    form.addEventListener("submit", function () { caches.delete(CACHE); });
  });
  window.addEventListener("online", function () {
    sync().then(function () { return document.querySelector("a[data-offline-case]") ? keepUpcoming() : null; }).then(show);
  });
  window.addEventListener("offline", show);

  caches.match(here).then(function (kept) {
    saved = Boolean(kept);
    return restore();
  }).then(show).then(function () {
    if (!navigator.onLine) return null;
    return sync().then(function () {
      if (document.querySelector("a[data-offline-case]")) return keepUpcoming();
      if (!saved) return caches.open(CACHE).then(function (cache) { return cachePage(cache, here); }).then(function () { saved = true; });
      return null;
    });
  }).then(show);
})();
