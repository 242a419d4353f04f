// Where JavaScript runs, uploads show their progress; without it the forms post as usual.
// The server answers like for a plain post (the step again, with the new file or the errors); only its <main> is
// swapped in, so the page is never half-written while someone presses "Tiếp tục".
function bindUploads(root) {
  root.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var input = form.querySelector('input[type=file]');
      if (!window.XMLHttpRequest || !window.DOMParser || !input || input.files.length === 0) return;
      event.preventDefault();
      var bar = form.querySelector('progress');
      var button = form.querySelector('button');
      var section = form.closest('section');
      bar.hidden = false;
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); };
      request.onload = function () {
        var answer = new DOMParser().parseFromString(request.responseText, 'text/html');
        var main = answer.getElementById('noi-dung');
        if (!main) { document.open(); document.write(request.responseText); document.close(); return; }
        document.getElementById('noi-dung').replaceWith(main);
        document.title = answer.title;
        if (request.responseURL) history.replaceState(null, '', request.responseURL);
        bindUploads(main);
        var focus = main.querySelector('.error-summary') || (section && main.querySelector('#' + section.id)) || main;
        if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1');
        focus.focus();
      };
      request.onerror = function () { button.disabled = false; bar.hidden = true; form.submit(); };
      request.send(new FormData(form));
    });
  });
}
bindUploads(document);
