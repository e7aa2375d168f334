/* Offline learning on the page (signed-in trainers only): registers the service worker, saves and
   removes courses for offline, queues "Tandai selesai" and quiz answers made without a connection
   and sends them when it returns, shows how many changes wait, and clears the device at sign-out.
   Every text comes from data attributes the server renders (#offline-ui), so it is translated
   with the rest of the site. Without this script (or without a service worker) every page works
   as before. */
(function () {
  'use strict';
  var ui = document.getElementById('offline-ui');
  var T = window.TOT;
  if (!ui || !T || !window.indexedDB || !window.caches) return;
  var D = ui.dataset;
  var key = D.user;
  var cacheName = T.storage(key);
  var lang = document.documentElement.lang || 'id';
  var status = ui.querySelector('[data-role=status]');
  var notes = ui.querySelector('[data-role=notes]');
  var install = ui.querySelector('[data-role=install]');
  var ready = null; // resolves once this user's storage is in place (see start)

  function text(name, values) {
    return (D[name] || '').replace(/\{(\w+)\}/g, function (m, k) { return values && k in values ? values[k] : m; });
  }
  function size(bytes) {
    var mb = bytes >= 1048576;
    var n = mb ? bytes / 1048576 : Math.max(1, Math.round(bytes / 1024));
    return '± ' + new Intl.NumberFormat(lang, { maximumFractionDigits: mb && n < 10 ? 1 : 0 }).format(n) + (mb ? ' MB' : ' KB');
  }
  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (content != null) node.textContent = content;
    return node;
  }
  function note(message, kind) {
    var item = el('li', { class: 'msg msg-' + (kind || 'info') }, message);
    notes.appendChild(item);
    ui.hidden = false;
  }
  function csrf() {
    var input = document.querySelector('input[name=csrfmiddlewaretoken]');
    return input ? input.value : '';
  }

  // ---------------------------------------------------------------- the indicator
  async function refresh() {
    await showResults();
    var queue = await T.queue(key);
    var last = await T.get(cacheName, 'kv', 'last_sync');
    var courses = await T.list(cacheName, 'courses');
    var parts = [];
    if (!navigator.onLine) parts.push(text('sOffline'));
    parts.push(queue.length ? text('sPending', { n: queue.length }) : text('sNone'));
    if (last) {
      parts.push(text('sLast', { time: new Date(last).toLocaleString(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) }));
    }
    if (courses.length) {
      parts.push(text('sSpace', { size: size(courses.reduce(function (sum, c) { return sum + c.bytes; }, 0)) }));
    }
    status.textContent = parts.join(' · ');
    ui.classList.toggle('is-offline', !navigator.onLine);
    ui.classList.toggle('has-queue', queue.length > 0);
    ui.hidden = !(queue.length || courses.length || last || !navigator.onLine || notes.children.length || !install.hidden);
    markQueued(queue);
  }

  // ---------------------------------------------------------------- token and sync
  async function token(renew) {
    var current = await T.get(cacheName, 'kv', 'token');
    if (current && !renew) return current;
    var response = await fetch(D.tokenUrl, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRFToken': csrf() } });
    if (!response.ok) return null;
    current = (await response.json()).token;
    await T.put(cacheName, 'kv', 'token', current);
    return current;
  }

  // Results of sends (by this page, another tab or the service worker) not shown yet: shown once.
  async function showResults() {
    var results = (await T.get(cacheName, 'kv', 'results')) || [];
    var fresh = results.filter(function (r) { return !r.seen; });
    if (!fresh.length) return;
    results.forEach(function (r) { r.seen = true; });
    await T.put(cacheName, 'kv', 'results', results);
    fresh.reverse().forEach(function (r) {
      if (r.status === 'rejected') {
        note(text('sRejected', { label: r.label || '', detail: r.detail }), 'error');
      } else if (r.type === 'quiz_attempt' && r.status === 'applied') {
        var score = r.score != null ? r.score : (String(r.detail).match(/\d+/) || [''])[0];
        var verdict = r.passed == null ? '' : ' · ' + text(r.passed ? 'sPassed' : 'sNotPassed');
        note(text('sQuizResult', { label: r.label || '', score: score }) + verdict, 'success');
      }
    });
    note(text('sSent', { n: fresh.length }), 'success');
  }

  async function sync() {
    if (!navigator.onLine) return refresh();
    try {
      var result = await T.sync(key);
      if (result.status === 'auth' && (await token(true))) await T.sync(key);
    } catch (error) {
      // Still no connection: the queue waits for the next chance.
    }
    return refresh();
  }

  async function enqueue(event) {
    await T.enqueue(key, event);
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.ready.then(function (reg) { return reg.sync && reg.sync.register('tot-sync'); }).catch(function () {});
    }
    await refresh();
  }

  // ---------------------------------------------------------------- forms used offline
  function markQueued(queue) {
    queue.forEach(function (event) {
      if (event.type === 'lesson_completed') {
        document.querySelectorAll('form[data-offline=complete][data-lesson="' + event.lesson_id + '"]').forEach(function (form) {
          var done = el('p', { class: 'done-state offline-queued', role: 'status' }, '✓ ' + text('sDoneQueued'));
          form.replaceWith(done);
        });
      } else if (event.type === 'quiz_attempt') {
        document.querySelectorAll('form[data-offline=quiz][data-quiz="' + event.quiz_id + '"]').forEach(quizQueued);
      }
    });
  }

  function quizQueued(form) {
    if (form.dataset.queued) return;
    form.dataset.queued = '1';
    form.querySelectorAll('input, button').forEach(function (input) { input.disabled = true; });
    form.parentNode.insertBefore(el('p', { class: 'msg msg-info offline-queued', role: 'status' }, text('sQuizQueued')), form.nextSibling);
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var kind = form.dataset && form.dataset.offline;
    if (kind === 'logout') return signOut(e, form);
    if (!kind || navigator.onLine) return; // online: the form is sent as always
    e.preventDefault();
    if (kind === 'complete') {
      enqueue({ type: 'lesson_completed', lesson_id: form.dataset.lesson, label: form.dataset.title });
    } else if (kind === 'quiz') {
      var answers = {};
      new FormData(form).forEach(function (value, name) {
        if (name.indexOf('q-') === 0) (answers[name.slice(2)] = answers[name.slice(2)] || []).push(value);
      });
      var draw = form.elements.draw_id || form.elements.draw;
      enqueue({ type: 'quiz_attempt', quiz_id: form.dataset.quiz, answers: answers, draw_id: draw ? draw.value || null : null, label: form.dataset.title });
      quizQueued(form);
    }
  });

  // ---------------------------------------------------------------- sign-out: send, then clear
  async function signOut(e, form) {
    if (form.dataset.cleared) return;
    e.preventDefault();
    if (!navigator.onLine) { note(text('sLogoutOffline'), 'error'); return; }
    status.textContent = text('sSending');
    ui.hidden = false;
    try {
      await ready;
      await sync();
    } catch (error) { /* sign out anyway: the server revokes the token, the browser clears */ }
    try {
      await T.wipe(key);
      await T.setCurrentUser(null);
    } catch (error) { /* Clear-Site-Data on the answer clears it too */ }
    form.dataset.cleared = '1';
    form.submit();
  }

  // ---------------------------------------------------------------- saving a course
  async function manifest(course, etag) {
    var headers = etag ? { 'If-None-Match': '"' + etag + '"' } : {};
    var response = await fetch(D.manifestUrl.replace('/0/', '/' + course + '/'), { credentials: 'same-origin', headers: headers });
    if (response.status === 304) return null;
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }

  async function download(entries, onProgress) {
    var cache = await caches.open(cacheName);
    var done = 0;
    var sizes = {};
    var queue = entries.slice();
    async function worker() {
      while (queue.length) {
        var entry = queue.shift();
        var response = await fetch(entry.url, { credentials: 'same-origin', cache: 'no-cache' });
        if (!response.ok || response.redirected) throw new Error(entry.url);
        var body = await response.blob();
        await cache.put(entry.url, new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }));
        sizes[entry.url] = body.size;
        onProgress(++done);
      }
    }
    await Promise.all([worker(), worker(), worker()]); // three at a time: kind to a slow link
    return sizes;
  }

  async function forget(urls, keepCourse) {
    var others = (await T.list(cacheName, 'courses')).filter(function (c) { return String(c.id) !== String(keepCourse); });
    var shared = {};
    others.forEach(function (c) { c.entries.forEach(function (entry) { shared[entry.url] = true; }); });
    var cache = await caches.open(cacheName);
    await Promise.all(urls.filter(function (url) { return !shared[url]; }).map(function (url) { return cache.delete(url); }));
  }

  // Save (or refresh) one course: download the entries that are new or changed and every page.
  async function store(data, previous, onProgress) {
    var known = {};
    (previous ? previous.entries : []).forEach(function (entry) { known[entry.url] = entry; });
    var wanted = data.entries.filter(function (entry) {
      var before = known[entry.url];
      return !before || before.version !== entry.version || entry.kind === 'page';
    });
    var sizes = await download(wanted, onProgress);
    var entries = data.entries.map(function (entry) {
      var before = known[entry.url];
      return { url: entry.url, kind: entry.kind, version: entry.version, bytes: entry.url in sizes ? sizes[entry.url] : before ? before.bytes : entry.bytes };
    });
    var listed = {};
    entries.forEach(function (entry) { listed[entry.url] = true; });
    if (previous) await forget(previous.entries.map(function (e) { return e.url; }).filter(function (url) { return !listed[url]; }), data.course_id);
    var record = {
      id: data.course_id,
      title: data.title,
      url: data.url,
      version: data.version,
      entries: entries,
      bytes: entries.reduce(function (sum, entry) { return sum + entry.bytes; }, 0),
      lessons: data.entries.filter(function (e) { return e.kind === 'page' && e.title && e.url !== data.url; }).map(function (e) { return { title: e.title, url: e.url }; }),
      saved_at: new Date().toISOString()
    };
    await T.put(cacheName, 'courses', data.course_id, record);
    return record;
  }

  function saver(box) {
    var course = box.dataset.course;
    var line = box.querySelector('[data-role=save-status]');
    var start = box.querySelector('[data-role=save]');
    function buttons(list) {
      box.querySelectorAll('.offline-act').forEach(function (b) { b.remove(); });
      list.forEach(function (item) {
        var button = el('button', { type: 'button', class: 'btn btn-secondary offline-act' }, item[0]);
        button.addEventListener('click', item[1]);
        box.appendChild(button);
      });
    }
    function idle() { start.hidden = false; line.textContent = ''; buttons([]); }
    function saved(record) {
      start.hidden = true;
      line.textContent = text('sSaved', { size: size(record.bytes) });
      buttons([[text('sRemove'), remove]]);
    }
    async function remove() {
      var record = await T.get(cacheName, 'courses', course);
      if (record) await forget(record.entries.map(function (e) { return e.url; }), course);
      await T.del(cacheName, 'courses', course);
      idle();
      refresh();
    }
    start.addEventListener('click', async function () {
      start.hidden = true;
      line.textContent = text('sChecking');
      try {
        var data = await manifest(course);
      } catch (error) { line.textContent = text('sFailed'); start.hidden = false; return; }
      line.textContent = text('sSize', { size: size(data.total_bytes), n: data.entries.length });
      buttons([
        [text('sConfirm'), async function () {
          buttons([]);
          try {
            var record = await store(data, null, function (n) { line.textContent = text('sProgress', { done: n, total: data.entries.length }); });
            saved(record);
          } catch (error) { line.textContent = text('sFailed'); start.hidden = false; }
          refresh();
        }],
        [text('sCancel'), idle]
      ]);
    });
    T.get(cacheName, 'courses', course).then(function (record) { if (record) saved(record); });
    box.hidden = false;
  }

  // A saved course that an editor changed since: fetch what changed, and say so.
  async function freshen() {
    var courses = await T.list(cacheName, 'courses');
    for (var i = 0; i < courses.length; i++) {
      var record = courses[i];
      try {
        var data = await manifest(record.id, record.version);
        if (!data || data.version === record.version) continue;
        var updated = await store(data, record, function () {});
        note(text('sUpdated', { title: updated.title }), 'info');
        document.querySelectorAll('[data-offline-save][data-course="' + record.id + '"] [data-role=save-status]').forEach(function (line) {
          line.textContent = text('sSaved', { size: size(updated.bytes) });
        });
      } catch (error) { /* offline or gone: try again on the next visit */ }
    }
  }

  // ---------------------------------------------------------------- the offline page
  async function listSaved(list) {
    var courses = await T.list(cacheName, 'courses');
    list.textContent = '';
    if (!courses.length) { list.appendChild(el('li', {}, text('sEmpty'))); return; }
    courses.forEach(function (c) {
      var item = el('li', { class: 'card' });
      var title = el('h3', { class: 'card-title' });
      title.appendChild(el('a', { href: c.url }, c.title));
      item.appendChild(title);
      var lessons = el('ul', { class: 'plain' });
      c.lessons.forEach(function (lesson) {
        var li = el('li');
        li.appendChild(el('a', { href: lesson.url }, lesson.title));
        lessons.appendChild(li);
      });
      item.appendChild(lessons);
      list.appendChild(item);
    });
  }

  // ---------------------------------------------------------------- start
  async function start() {
    var previous = await T.currentUser();
    if (previous && previous !== key) {
      // Another trainer used this browser and did not sign out here: send what they left if their
      // token still works, end that token, and remove everything of theirs before anything else.
      if (navigator.onLine) {
        try {
          await T.sync(previous);
          var old = await T.get(T.storage(previous), 'kv', 'token');
          if (old) await fetch(D.revokeUrl, { method: 'POST', credentials: 'omit', headers: { Authorization: 'Bearer ' + old } });
        } catch (error) { /* nothing more can be done for them on this device */ }
      }
      await T.wipe(previous);
    }
    await T.setCurrentUser(key);
    if (navigator.onLine) await token(false).catch(function () {});
  }

  ready = start();
  ready.then(function () {
    document.querySelectorAll('[data-offline-save]').forEach(saver);
    var saved = document.getElementById('offline-saved');
    if (saved) listSaved(saved);
    return sync();
  }).then(function () {
    if (navigator.onLine) freshen().then(refresh);
  }).catch(function () {});

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(D.sw, { scope: '/' }).catch(function () {});
  }
  window.addEventListener('online', sync);
  window.addEventListener('offline', refresh);
  if (window.BroadcastChannel) new BroadcastChannel('tot-offline').onmessage = function () { refresh(); };

  var prompt = null;
  window.addEventListener('beforeinstallprompt', function (e) {
    e.preventDefault();
    prompt = e;
    install.hidden = false;
    ui.hidden = false;
  });
  install.addEventListener('click', function () {
    if (prompt) prompt.prompt();
    prompt = null;
    install.hidden = true;
  });
  window.addEventListener('appinstalled', function () { install.hidden = true; });
})();
