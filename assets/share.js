// Enhancements for "Deel dit artikel" (the plain links work without this script):
// - "Kopieer link" and "Delen…" (the Web Share API) buttons in the share block;
// - the Mastodon form remembers the visitor's instance in localStorage.
// An external file, so the Content-Security-Policy needs no 'unsafe-inline'.

const INSTANCE_KEY = 'vso-mastodon-instance';

function say(block, message) {
  const status = block.querySelector('.share-status');
  if (status) status.textContent = message;
}

function addButton(list, label, onClick) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.addEventListener('click', onClick);
  item.append(button);
  list.append(item);
}

const block = document.querySelector('[data-share-url]');
const list = block?.querySelector('.share-links');
if (block && list) {
  const url = block.dataset.shareUrl;
  const title = block.dataset.shareTitle;
  // navigator.share exists only in secure contexts; it must run inside the click handler.
  if (typeof navigator.share === 'function') {
    addButton(list, 'Delen…', async () => {
      try {
        await navigator.share({ title, text: title, url });
      } catch (error) {
        if (error?.name !== 'AbortError') say(block, 'Delen is niet gelukt. Kopieer de link.');
      }
    });
  }
  if (navigator.clipboard?.writeText) {
    addButton(list, 'Kopieer link', async () => {
      try {
        await navigator.clipboard.writeText(url);
        say(block, 'De link is gekopieerd.');
      } catch {
        say(block, 'Kopiëren is niet gelukt.');
      }
    });
  }
}

const form = document.querySelector('[data-mastodon-form]');
const input = form?.querySelector('input[name="instance"]');
if (form && input) {
  try {
    const saved = localStorage.getItem(INSTANCE_KEY);
    if (saved && !input.value) input.value = saved;
    form.addEventListener('submit', () => localStorage.setItem(INSTANCE_KEY, input.value.trim()));
  } catch {
    // Storage can be switched off by the visitor; the form works without it.
  }
}
