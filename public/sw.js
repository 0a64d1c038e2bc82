// 守望's service worker: the app keeps opening, and the board and notices last seen stay
// readable, when the network is gone (a lockdown's overloaded networks, a basement).
//
// The server fills in the two placeholders when it serves this file (server/src/web/
// service_worker.rs): the build's shell version and its files. A new build therefore
// changes this script's bytes, the browser installs the new worker, which caches the new
// shell, deletes the old one and takes over; the app reloads on `controllerchange`.
//
// Every address is relative to the worker's scope, so the app can live under a path.
// Writes (POST, PUT, DELETE) are never touched here: the app queues them itself
// (app/src/offline) with an Idempotency-Key so that each is done exactly once.

const VERSION = '__SHELL_VERSION__';
const SHELL_FILES = __SHELL_FILES__;
const SHELL_CACHE = 'shouwang-shell-' + VERSION;
// The last answers of the public board and notices, and who is signed in on this phone
// (deleted by the app at sign-out). Nothing else personal is kept here.
const DATA_CACHE = 'shouwang-data';
// Marks an answer served from DATA_CACHE, with when it was fetched: the app shows
// "离线 · 显示的是 … 的内容" from it.
const CACHED_AT = 'x-shouwang-cached-at';
// Marks an answer made up here because the network is gone and nothing was kept.
const OFFLINE = 'x-shouwang-offline';

const scope = new URL(self.registration.scope);
const inScope = (relative) => new URL(relative, scope).href;

// Paths (relative to the scope) of the GET answers kept for offline reading. Not the
// live stream (board/live), which is not a document.
const DATA_PATHS = [
  /^api\/notices(\/\d+)?$/,
  /^api\/notices\/\d+\/receipt$/,
  /^api\/board\/updates(\/\d+)?$/,
  /^api\/community\/calendar$/,
  /^api\/auth\/me$/,
  /^api\/zones\/mine$/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL_FILES.map(inScope)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('shouwang-shell-') && key !== SHELL_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.href.startsWith(scope.href)) return;
  const path = url.href.slice(scope.href.length).split(/[?#]/)[0];

  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (DATA_PATHS.some((pattern) => pattern.test(path))) {
    event.respondWith(networkFirst(request));
  } else if (!path.startsWith('api/') && !path.startsWith('feed')) {
    event.respondWith(shellFirst(request));
  }
});

// A page: the network's (it may carry the board, rendered by the server), else the
// cached shell, whose app then reads the cached data.
async function page(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const shell = await caches.open(SHELL_CACHE);
    const index = await shell.match(inScope('./'));
    if (index) return index;
    throw offline;
  }
}

// The shell's files have content-hashed names (or are small): the cached copy is right.
async function shellFirst(request) {
  const shell = await caches.open(SHELL_CACHE);
  const cached = await shell.match(request, { ignoreSearch: true });
  return cached || fetch(request);
}

// The board's data: fresh when the network answers, the last copy when it does not.
async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const headers = new Headers(response.headers);
      headers.set(CACHED_AT, new Date().toISOString());
      const body = await response.clone().arrayBuffer();
      await cache.put(request, new Response(body, { status: response.status, headers }));
    }
    return response;
  } catch {
    const cached = await cache.match(request);
    return cached || unreachable();
  }
}

// Nothing kept to show: said in the app's own words ("no network"), not as a failed
// fetch the browser reports as an error.
function unreachable() {
  return new Response(null, { status: 503, headers: { [OFFLINE]: '1' } });
}
