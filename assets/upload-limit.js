/* Files too large for the server are refused here, before they are read or sent. The server takes a
   request of at most --max-upload-mb (a larger one gets a 413 that Dash never shows: the upload just
   did nothing). The upload's wrapper carries the limit (data-upload-limit, bytes a request may
   spend on files), the sentence to show (data-too-large, from augur.text) and the message's id.
   Listening on the document in the capture phase, the check runs before the upload's own handlers,
   and stops the event when it refuses, so the design on screen stays as it was. */
(function () {
  function encoded(size) {
    return 4 * Math.ceil(size / 3) + 256; // base64 and the data URL's prefix
  }

  function check(event, files) {
    var box = event.target && event.target.closest && event.target.closest('[data-upload-limit]');
    if (!box || !files || !files.length) return;
    var sent = 0, size = 0, names = [];
    for (var i = 0; i < files.length; i++) {
      sent += encoded(files[i].size);
      size += files[i].size;
      names.push(files[i].name);
    }
    if (sent <= Number(box.getAttribute('data-upload-limit'))) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.target.tagName === 'INPUT') event.target.value = '';
    var text = box.getAttribute('data-too-large')
      .replace('{files}', names.join(', '))
      .replace('{size}', (size / 1048576).toFixed(1));
    window.dash_clientside.set_props(box.getAttribute('data-message'), {
      children: text,
      className: 'message error',
    });
  }

  document.addEventListener('change', function (event) {
    if (event.target && event.target.type === 'file') check(event, event.target.files);
  }, true);
  document.addEventListener('drop', function (event) {
    check(event, event.dataTransfer && event.dataTransfer.files);
  }, true);
})();
