// Where JavaScript runs, uploads show their progress; without it the forms post as usual.
document.querySelectorAll('form[data-upload]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    var input = form.querySelector('input[type=file]');
    if (!window.XMLHttpRequest || !input || input.files.length === 0) return;
    event.preventDefault();
    var bar = form.querySelector('progress');
    var button = form.querySelector('button');
    bar.hidden = false;
    button.disabled = true;
    var request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); };
    request.onload = function () {
      // The server answers like for a plain post: a redirect to the step, or the step with the errors.
      document.open(); document.write(request.responseText); document.close();
      if (request.responseURL) history.replaceState(null, '', request.responseURL);
    };
    request.onerror = function () { button.disabled = false; bar.hidden = true; form.submit(); };
    request.send(new FormData(form));
  });
});
