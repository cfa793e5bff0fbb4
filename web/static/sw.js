// sw.js is closedset's service worker: it shows the alerts the server
// pushes (a title, one line and a link, never a reason) and opens the
// link when the notification is clicked.
'use strict';

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {title: 'closedset', body: event.data ? event.data.text() : ''};
  }
  event.waitUntil(self.registration.showNotification(data.title || 'closedset', {
    body: data.body || '',
    data: {url: data.url || '/'},
    tag: data.url || 'closedset'
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(self.clients.openWindow(url));
});
