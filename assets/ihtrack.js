// ihtrack.js: the one script the pages load (Content-Security-Policy
// allows only our own files).  A page that comes back with errors moves
// focus to its error summary, as the NHS design system asks, so that a
// screen reader reads what went wrong first and the keyboard starts there.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.nhsuk-error-summary');
  if (summary) summary.focus();
});
