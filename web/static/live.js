// live.js follows the page's live event stream (main[data-live]): on each
// "changed" event it fetches the page again and puts the new <main> in
// place, so a withdrawal shows on the AD's and IC's screens without a
// reload. The stream says only that something changed; the fetch asks for
// what this user may see. Without JavaScript the page works the same and
// a reload shows the change.
(function () {
  'use strict';
  var main = document.querySelector('main[data-live]');
  if (!main || !window.EventSource || !window.DOMParser || !window.fetch) {
    return;
  }
  var busy = false;
  var again = false;

  // editing: the user is typing in, or has changed, a field of the page:
  // swapping <main> would lose their work.
  function editing() {
    var a = document.activeElement;
    if (a && main.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) &&
        !/^(submit|button|hidden|reset)$/.test(a.type)) {
      return true;
    }
    var fields = main.querySelectorAll('input, textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.tagName === 'SELECT') {
        // With no option marked selected, a single select starts on its
        // first one.
        var marked = false;
        for (var j = 0; j < f.options.length; j++) {
          marked = marked || f.options[j].defaultSelected;
        }
        for (var k = 0; k < f.options.length; k++) {
          var start = f.options[k].defaultSelected || (!marked && !f.multiple && k === 0);
          if (f.options[k].selected !== start) {
            return true;
          }
        }
      } else if (f.type === 'checkbox' || f.type === 'radio') {
        if (f.checked !== f.defaultChecked) {
          return true;
        }
      } else if (f.type !== 'hidden' && f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function notice() {
    if (document.getElementById('live-notice')) {
      return;
    }
    var p = document.createElement('p');
    p.id = 'live-notice';
    p.className = 'live-notice';
    p.setAttribute('role', 'status');
    p.appendChild(document.createTextNode('Updated: '));
    var a = document.createElement('a');
    a.href = location.href;
    a.textContent = 'reload';
    p.appendChild(a);
    main.insertBefore(p, main.firstChild);
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    if (editing()) {
      notice();
      return;
    }
    busy = true;
    fetch(location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) {
        // A sign-in page or an error is not this page: leave it to a reload.
        if (!r.ok || r.redirected) {
          throw new Error('status ' + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('main');
        if (!fresh) {
          throw new Error('no main');
        }
        if (editing()) {
          notice();
          return;
        }
        var x = window.scrollX;
        var y = window.scrollY;
        main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
        if (doc.title) {
          document.title = doc.title;
        }
        window.scrollTo(x, y);
      })
      .catch(function () {
        notice();
      })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  new EventSource(main.dataset.live).addEventListener('changed', refresh);
}());
