// The site's service worker: it must be served from the site's own origin (a service worker
// controls only its own origin), so this one-line copy loads Waymark's from the Waymark host.
// Replace the host like in index.html.
importScripts('http://localhost:3000/waymark-sw.js');
