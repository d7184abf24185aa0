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

// Notifications pushed by the server (GET /notifications, Server-Sent Events); EventSource
// reconnects by itself and sends Last-Event-ID, so events during a short outage are not missed.
const notifications = document.getElementById('notifications');
const note = text => {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  notifications.prepend(li);
  while (notifications.children.length > 20) notifications.lastChild.remove();
};
const source = new EventSource('/notifications');
source.addEventListener('document.indexed', event => {
  const data = JSON.parse(event.data);
  note(`document ${data.documentId} is ${data.status}`);
});
source.addEventListener('dropped', event => note(`${JSON.parse(event.data).count} older notifications were dropped`));
