// Intake's only script: progressive enhancements. Every page works without it.
document.addEventListener('DOMContentLoaded', function () {
  // Copy buttons: <button data-copy="input-id">.
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var input = document.getElementById(button.getAttribute('data-copy'));
      if (!input) { return; }
      var done = function () {
        var label = button.textContent;
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { if (document.execCommand('copy')) { done(); } } catch (e) { /* the text stays selected */ }
      }
    });
  });
});
