/* Offline learning, the part shared by the pages (offline.js) and the service worker (sw.js): the
   trainer's storage on this device and the queue of changes made offline, replayed through
   /api/v1/me/sync. No DOM here.

   Storage is per user: the IndexedDB database and the Cache Storage cache are both named
   "tot-offline-<user key>" (a key the server derives from the user; see courses.offline.devices),
   with the stores kv (token, last sync, recent results), queue (events not sent yet) and courses
   (the courses saved for offline). The database "tot-offline" holds only which user key is
   signed in on this browser, so that the service worker serves that user's pages and no one
   else's. */
(function (g) {
  'use strict';
  var META = 'tot-offline';
  var SYNC_URL = '/api/v1/me/sync';
  var BATCH = 200; // the API takes at most 500 events a request
  var STORES = ['kv', 'queue', 'courses'];

  function done(request) {
    return new Promise(function (ok, ko) {
      request.onsuccess = function () { ok(request.result); };
      request.onerror = function () { ko(request.error); };
    });
  }

  function open(name) {
    var request = indexedDB.open(name, 1);
    request.onupgradeneeded = function () {
      STORES.forEach(function (store) { request.result.createObjectStore(store); });
    };
    return done(request);
  }

  // One transaction on one store; `work` returns an IDBRequest (its result is the answer) or nothing.
  async function run(name, store, mode, work) {
    var db = await open(name);
    try {
      return await new Promise(function (ok, ko) {
        var tx = db.transaction(store, mode);
        var request = work(tx.objectStore(store));
        tx.oncomplete = function () { ok(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { ko(tx.error); };
      });
    } finally {
      db.close(); // never keep a connection: it would block deleting the database at sign-out
    }
  }

  function get(name, store, key) { return run(name, store, 'readonly', function (s) { return s.get(key); }); }
  function put(name, store, key, value) { return run(name, store, 'readwrite', function (s) { return s.put(value, key); }); }
  function del(name, store, keys) {
    return run(name, store, 'readwrite', function (s) { [].concat(keys).forEach(function (k) { s.delete(k); }); });
  }
  function list(name, store) { return run(name, store, 'readonly', function (s) { return s.getAll(); }); }

  function storage(key) { return 'tot-offline-' + key; }

  function uuid() {
    if (g.crypto && g.crypto.randomUUID) return g.crypto.randomUUID();
    var b = g.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function notify(key) {
    if (g.BroadcastChannel) {
      var channel = new BroadcastChannel(META);
      channel.postMessage({ user: key });
      channel.close();
    }
  }

  // What the server receives: the event without the device's own bookkeeping (seq, label).
  function wire(event) {
    var out = { id: event.id, type: event.type, at: event.at };
    ['lesson_id', 'quiz_id', 'answers', 'draw_id'].forEach(function (field) {
      if (event[field] != null) out[field] = event[field];
    });
    return out;
  }

  async function send(key) {
    var name = storage(key);
    var token = await get(name, 'kv', 'token');
    var events = await list(name, 'queue'); // in the order they were made (keys start with a time)
    var result = { status: 'ok', sent: 0, results: [] };
    if (!events.length) return result;
    if (!token) { result.status = 'auth'; return result; }
    for (var i = 0; i < events.length; i += BATCH) {
      var batch = events.slice(i, i + BATCH);
      // A network failure throws: the queue stays as it is, to be sent next time.
      var response = await fetch(SYNC_URL, {
        method: 'POST',
        credentials: 'omit', // the token alone says who sends; never the session of whoever is signed in
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify({ events: batch.map(wire) })
      });
      if (response.status === 401) { result.status = 'auth'; break; }
      if (!response.ok) { result.status = 'error'; break; }
      var answer = await response.json();
      var byId = {};
      batch.forEach(function (event) { byId[event.id] = event; });
      var answered = [];
      answer.results.forEach(function (outcome) {
        var event = byId[outcome.id];
        if (!event) return;
        answered.push(event.key);
        result.results.push(Object.assign({ label: event.label, type: event.type, lesson_id: event.lesson_id, quiz_id: event.quiz_id }, outcome));
      });
      // Applied, already applied (duplicate) or refused for good (rejected): sent either way.
      await del(name, 'queue', answered);
      result.sent += answered.length;
    }
    if (result.sent) {
      await put(name, 'kv', 'last_sync', new Date().toISOString());
      var earlier = (await get(name, 'kv', 'results')) || [];
      await put(name, 'kv', 'results', result.results.concat(earlier).slice(0, 20));
    }
    notify(key);
    return result;
  }

  g.TOT = {
    storage: storage,
    get: get,
    put: put,
    del: del,
    list: list,
    currentUser: function () { return get(META, 'kv', 'user'); },
    setCurrentUser: function (key) { return key ? put(META, 'kv', 'user', key) : del(META, 'kv', 'user'); },
    // Store an event on the device; it survives reloads and the phone being switched off.
    enqueue: async function (key, event) {
      event.id = event.id || uuid();
      event.at = event.at || new Date().toISOString();
      event.key = Date.now().toString(36).padStart(10, '0') + ':' + event.id;
      await put(storage(key), 'queue', event.key, event);
      notify(key);
      return event;
    },
    queue: function (key) { return list(storage(key), 'queue'); },
    // Send the queue. One sender at a time per user across tabs and the service worker; the
    // server applies each event id once anyway, so a replay (two tabs, a lost answer) is harmless.
    sync: function (key) {
      var go = function () { return send(key); };
      return g.navigator.locks ? g.navigator.locks.request('tot-sync-' + key, go) : go();
    },
    // Remove everything of one user from this device: saved pages, queue, token, courses.
    wipe: async function (key) {
      await caches.delete(storage(key));
      await new Promise(function (ok) {
        var request = indexedDB.deleteDatabase(storage(key));
        request.onsuccess = request.onerror = function () { ok(); };
      });
      notify(key);
    }
  };
})(self);
