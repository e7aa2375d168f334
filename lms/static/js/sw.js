/* The service worker, served at /sw.js (courses.offline.views adds TOT_CORE_URL and
   TOT_OFFLINE_URL in front of this file). Hand-written and small on purpose; see README.

   - Pages and files: always the network first, so that a trainer online sees the site as it is;
     without a connection, the signed-in trainer's saved copy (Cache Storage "tot-offline-<key>"),
     else, for a page, the offline page listing what is saved. A saved page opened online is
     stored again, so the saved copy is as fresh as the last visit.
   - Only the signed-in trainer's cache is ever read: another trainer on the same phone gets
     nothing of it.
   - Background Sync ("tot-sync"): the queue is sent when the connection returns, even with no
     page of the site open. */
importScripts(self.TOT_CORE_URL);
var T = self.TOT;

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

async function userCache() {
  var key = await T.currentUser().catch(function () { return null; });
  if (!key || !(await caches.has(T.storage(key)))) return null;
  return caches.open(T.storage(key));
}

var SAME = { ignoreVary: true };

async function answer(event, request, url) {
  try {
    var response = await fetch(request);
    if (request.mode === 'navigate' && response.ok && !response.redirected) {
      var cache = await userCache();
      if (cache && (await cache.match(url.href, SAME))) {
        event.waitUntil(cache.put(url.href, response.clone()));
      }
    }
    return response;
  } catch (error) {
    var saved = await userCache();
    if (!saved) throw error;
    var hit = (await saved.match(request, SAME)) ||
      (request.mode === 'navigate' && (await saved.match(url.origin + url.pathname, SAME)));
    // An image of a saved lesson at another width than the saved one (the page offers several).
    if (!hit && /\.width-\d+\./.test(url.pathname)) {
      hit = await saved.match(url.origin + url.pathname.replace(/\.width-\d+\./, '.width-720.'), SAME);
    }
    if (!hit && request.mode === 'navigate') hit = await saved.match(self.TOT_OFFLINE_URL, SAME);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (/^\/(api|admin|django-admin)\//.test(url.pathname) || url.pathname === '/sw.js') return;
  event.respondWith(answer(event, request, url));
});

self.addEventListener('sync', function (event) {
  if (event.tag !== 'tot-sync') return;
  event.waitUntil(T.currentUser().then(function (key) { return key && T.sync(key); }));
});
