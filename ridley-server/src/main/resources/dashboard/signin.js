// The sign-in page: the key is sent once to /signin, which answers with a session cookie
// (HttpOnly, SameSite=Strict); the key itself is not kept by the page.

const form = document.getElementById('signin');
const notice = document.getElementById('notice');

/** Where to go after signing in: a path on this server only, never another site. */
function next() {
  const n = new URLSearchParams(location.search).get('next') || '/';
  return n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/\\') ? n : '/';
}

// With an OIDC client configured, the issuer's own sign-in is offered first.
fetch('/signin/options', { headers: { Accept: 'application/json' } })
  .then((res) => (res.ok ? res.json() : { oidc: false }))
  .then((options) => {
    if (!options.oidc) return;
    document.getElementById('issuer-link').href = '/signin/oidc?next=' + encodeURIComponent(next());
    document.getElementById('issuer').hidden = false;
  })
  .catch(() => {});

if (new URLSearchParams(location.search).get('failed') === 'issuer') {
  notice.textContent = 'The identity provider did not sign you in; try again, or paste a key.';
  notice.className = 'notice error';
  notice.hidden = false;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = form.elements.key;
  const key = input.value.trim();
  input.value = '';
  notice.hidden = true;
  try {
    const res = await fetch('/signin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ key }),
    });
    if (res.ok) {
      location.assign(next());
      return;
    }
    const problem = await res.json().catch(() => ({}));
    notice.textContent = problem.detail || 'Sign-in failed (' + res.status + ').';
  } catch (err) {
    notice.textContent = 'Cannot reach the Ridley server (' + err.message + ').';
  }
  notice.className = 'notice error';
  notice.hidden = false;
  input.focus();
});
