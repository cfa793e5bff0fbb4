// push.js turns on Web Push notifications on this device from the account
// page: it registers the service worker (sw.js), subscribes with the
// server's VAPID key (button#push-on data-key) and sends the subscription
// to the API with the session's CSRF token. Without JavaScript, or in a
// browser without push, the button stays hidden and e-mail still works.
(function () {
  'use strict';
  var button = document.getElementById('push-on');
  var status = document.getElementById('push-status');
  if (!button || !('serviceWorker' in navigator) || !('PushManager' in window) || !window.fetch) {
    return;
  }
  button.hidden = false;

  function key(b64) {
    var s = (b64 + '===='.slice((b64.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(s);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      out[i] = raw.charCodeAt(i);
    }
    return out;
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  button.addEventListener('click', function () {
    say('Asking…');
    Notification.requestPermission().then(function (perm) {
      if (perm !== 'granted') {
        throw new Error('notifications are blocked for this site');
      }
      return navigator.serviceWorker.register('/static/sw.js');
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(button.getAttribute('data-key'))});
    }).then(function (sub) {
      return fetch('/api/v1/me/push-subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': button.getAttribute('data-csrf')},
        body: JSON.stringify(sub)
      });
    }).then(function (resp) {
      if (!resp.ok) {
        throw new Error('the server answered ' + resp.status);
      }
      say('Notifications are on for this device.');
    }).catch(function (err) {
      say('Notifications could not be turned on: ' + err.message);
    });
  });
})();
