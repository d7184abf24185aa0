'use strict';
// Upload, follow the document's status, and search. Hit text comes from the API already
// HTML-encoded with only <mark> added, so it is the one value set as HTML.
const status = document.getElementById('status');

document.getElementById('upload').addEventListener('submit', async event => {
  event.preventDefault();
  const response = await fetch('/documents', { method: 'POST', body: new FormData(event.target) });
  const body = await response.json();
  if (!response.ok) { status.textContent = `${body.title}: ${body.detail}`; return; }
  for (let i = 0; i < 60; i++) {
    const doc = await (await fetch(`/documents/${body.id}`)).json();
    status.textContent = `${doc.fileName}: ${doc.status}${doc.error ? ' — ' + doc.error : ''}`;
    if (doc.status === 'indexed' || doc.status === 'failed') return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
});

document.getElementById('search').addEventListener('submit', async event => {
  event.preventDefault();
  const q = new FormData(event.target).get('q');
  const response = await fetch(`/search?q=${encodeURIComponent(q)}`);
  const body = await response.json();
  const hits = document.getElementById('hits');
  hits.replaceChildren(...(body.hits || []).map(hit => {
    const div = document.createElement('div');
    div.className = 'hit';
    const title = document.createElement('strong');
    title.innerHTML = hit.title;
    const text = document.createElement('div');
    text.innerHTML = hit.text;
    div.append(title, text);
    return div;
  }));
  if (!response.ok) hits.textContent = `${body.title}: ${body.detail}`;
  else if (!body.hits.length) hits.textContent = 'No documents match.';
});
