// The Mindora dashboard page: polls the resource list, streams the selected resource's logs,
// shows its environment (masked by the AppHost) and details. Every value is set as text,
// never as HTML, so nothing a resource prints can script the page.
'use strict';

const state = { resources: [], selected: null, tab: 'logs', logSource: null, logResource: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  }
  return node;
}

function badge(kind, value) {
  return el('span', { class: `badge ${kind}-${value}` }, value);
}

function time(value) {
  return value ? new Date(value).toLocaleTimeString() : '';
}

function readRoute() {
  const match = /^#\/resources\/([^/]+)(?:\/(logs|env|details))?$/.exec(location.hash);
  state.selected = match ? decodeURIComponent(match[1]) : null;
  state.tab = match && match[2] ? match[2] : 'logs';
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) { location.href = '/login'; throw new Error('unauthorized'); }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function renderResources() {
  const body = document.querySelector('#resources tbody');
  const rows = state.resources.map(r => {
    const endpoints = el('td', { class: 'endpoints' });
    for (const endpoint of r.endpoints) {
      const link = endpoint.url.startsWith('http')
        ? el('a', { href: endpoint.url, target: '_blank', rel: 'noopener' }, endpoint.url)
        : el('span', {}, endpoint.url);
      endpoints.append(el('div', {}, `${endpoint.name}: `, link));
    }
    const row = el('tr', { 'data-resource': r.name, class: r.name === state.selected ? 'selected' : '' },
      el('td', { class: 'name' }, r.name),
      el('td', { class: 'kind' }, r.kind),
      el('td', { class: 'runtime', title: r.runtimeReason || '' }, r.runtime || ''),
      el('td', { class: 'state' }, badge('state', r.state)),
      el('td', { class: 'health', title: r.healthDescription || '' }, badge('health', r.health)),
      endpoints,
      el('td', { class: 'started' }, time(r.startedAt)),
      el('td', { class: 'restarts' }, String(r.restarts)));
    row.addEventListener('click', () => { location.hash = `#/resources/${encodeURIComponent(r.name)}/${state.tab}`; });
    return row;
  });
  body.replaceChildren(...rows);

  const healthy = state.resources.filter(r => r.state === 'running' && r.health === 'healthy').length;
  document.getElementById('summary').textContent =
    `${state.resources.length} resources · ${healthy === state.resources.length ? 'all healthy' : `${healthy} healthy`}`;
}

// The Tasks view: per app that serves /mindora/tasks, its queues and its tasks (failed first),
// with retry for failed or canceled tasks and cancel for those that have not started.
const taskGroups = ['failed', 'running', 'queued', 'succeeded', 'canceled'];

function renderQueues(queues) {
  if (!queues.length) return el('p', { class: 'muted' }, 'No task waits or runs.');
  const head = el('tr', {}, ...['Queue', 'High', 'Default', 'Low', 'Scheduled', 'Running'].map(h => el('th', {}, h)));
  const rows = queues.map(q => el('tr', { 'data-queue': q.queue },
    el('td', {}, q.queue), el('td', { class: 'high' }, String(q.high)), el('td', { class: 'default' }, String(q.default)),
    el('td', { class: 'low' }, String(q.low)), el('td', { class: 'scheduled' }, String(q.scheduled)), el('td', { class: 'running' }, String(q.running))));
  return el('table', { class: 'queues' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function taskButton(resource, task, action) {
  const button = el('button', { type: 'button', 'data-task-action': action }, action === 'retry' ? 'Retry' : 'Cancel');
  button.addEventListener('click', () => actOnTask(resource, task.id, action));
  return button;
}

function renderTasks(resource, overview) {
  const tasks = taskGroups.flatMap(group => overview[group] || []);
  if (!tasks.length) return el('p', { class: 'muted' }, 'No recent tasks.');
  const head = el('tr', {}, ...['Task', 'Queue', 'Status', 'Attempts', 'Error', 'Finished', ''].map(h => el('th', {}, h)));
  const rows = tasks.map(t => el('tr', { 'data-task': t.id },
    el('td', { class: 'task-name', title: t.id }, t.name),
    el('td', {}, `${t.queue} (${t.priority})`),
    el('td', { class: 'task-state' }, badge('task', t.status)),
    el('td', {}, `${t.attempts}/${t.maxAttempts}`),
    el('td', { class: 'task-error' }, t.error || ''),
    el('td', {}, time(t.finishedAt)),
    el('td', { class: 'task-actions' },
      ...(['failed', 'canceled'].includes(t.status) ? [taskButton(resource, t, 'retry')] : []),
      ...(t.status === 'queued' ? [taskButton(resource, t, 'cancel')] : []))));
  return el('table', { class: 'tasks' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderTaskView(apps) {
  document.getElementById('tasks-section').hidden = apps.length === 0;
  document.getElementById('tasks').replaceChildren(...apps.map(app => el('div', { class: 'app-tasks', 'data-app': app.resource },
    el('h3', {}, app.resource),
    ...(app.error ? [el('p', { class: 'connection' }, app.error)] : [renderQueues(app.tasks.queues), renderTasks(app.resource, app.tasks)]))));
}

async function actOnTask(resource, id, action) {
  const status = document.getElementById('task-status');
  status.textContent = `${action}…`;
  const response = await fetch(`/api/tasks/${encodeURIComponent(resource)}/${encodeURIComponent(id)}/${action}`, {
    method: 'POST', credentials: 'same-origin', headers: { 'X-Mindora-Dashboard': '1' },
  });
  status.textContent = response.ok ? `${action}: done` : `${action}: ${(await response.json()).detail}`;
  refresh();
}

async function refresh() {
  try {
    state.resources = await api('/api/resources');
    document.getElementById('connection').hidden = true;
    renderResources();
    renderTaskView(await api('/api/tasks'));
    if (state.selected) await renderDetail();
  } catch (error) {
    document.getElementById('connection').hidden = false;
  }
}

function appendLog(line) {
  const logs = document.getElementById('logs');
  logs.append(el('div', { class: line.stream, 'data-seq': String(line.seq) }, `${time(line.time)} ${line.text}`));
  while (logs.childElementCount > 5000) logs.firstElementChild.remove();
  if (document.getElementById('follow').checked) logs.scrollTop = logs.scrollHeight;
}

function followLogs(name) {
  if (state.logResource === name && state.logSource) return;
  if (state.logSource) state.logSource.close();
  document.getElementById('logs').replaceChildren();
  state.logResource = name;
  state.logSource = new EventSource(`/api/resources/${encodeURIComponent(name)}/logs/stream`);
  state.logSource.onmessage = event => appendLog(JSON.parse(event.data));
}

function renderEnvironment(resource) {
  const rows = (resource.environment || []).map(v => el('tr', { 'data-variable': v.name },
    el('td', {}, v.name),
    el('td', { class: v.isSecret ? 'secret' : '' }, v.value)));
  document.querySelector('#environment tbody').replaceChildren(...rows);
  document.getElementById('env-empty').hidden = rows.length > 0;
}

// Parameters and databases are not stopped on their own; a running resource cannot be started.
function renderActions(resource) {
  const controllable = !['parameter', 'postgres-database'].includes(resource.kind);
  document.getElementById('actions').hidden = !controllable;
  const running = ['running', 'starting', 'waiting'].includes(resource.state);
  document.querySelector('[data-action=stop]').disabled = !running;
  document.querySelector('[data-action=start]').disabled = running;
}

async function act(action) {
  const status = document.getElementById('action-status');
  status.textContent = `${action}…`;
  const response = await fetch(`/api/resources/${encodeURIComponent(state.selected)}/${action}`, {
    method: 'POST', credentials: 'same-origin', headers: { 'X-Mindora-Dashboard': '1' },
  });
  status.textContent = response.ok ? `${action}: done` : `${action}: ${(await response.json()).detail}`;
  refresh();
}

function renderDetails(resource) {
  const facts = [
    ['Runs as', resource.runtime], ['Why', resource.runtimeReason], ['State', resource.state],
    ['Health', resource.health], ['Health check', resource.healthDescription], ['Process id', resource.processId],
    ['Started', resource.startedAt], ['Stopped', resource.stoppedAt], ['Exit code', resource.exitCode],
    ['Restarts', resource.restarts], ['Waits for', (resource.waitsFor || []).join(', ')],
    ['Parent', resource.parent], ['Error', resource.error],
  ].filter(([, value]) => value !== undefined && value !== null && value !== '');
  document.getElementById('details').replaceChildren(...facts.flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, String(value))]));
}

async function renderDetail() {
  const section = document.getElementById('detail');
  if (!state.selected) {
    section.hidden = true;
    if (state.logSource) { state.logSource.close(); state.logSource = null; state.logResource = null; }
    return;
  }
  const resource = await api(`/api/resources/${encodeURIComponent(state.selected)}`);
  section.hidden = false;
  document.getElementById('detail-name').textContent = resource.name;
  document.getElementById('detail-kind').textContent = resource.kind;
  for (const tab of ['logs', 'env', 'details']) {
    document.getElementById(`tab-${tab}`).classList.toggle('active', tab === state.tab);
    document.getElementById(`panel-${tab}`).classList.toggle('active', tab === state.tab);
  }
  followLogs(resource.name);
  renderActions(resource);
  renderEnvironment(resource);
  renderDetails(resource);
}

document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('.actions button')) {
    button.addEventListener('click', () => act(button.dataset.action));
  }
  for (const link of document.querySelectorAll('.tabs a')) {
    link.addEventListener('click', () => {
      if (state.selected) location.hash = `#/resources/${encodeURIComponent(state.selected)}/${link.dataset.tab}`;
    });
  }
  window.addEventListener('hashchange', () => { readRoute(); refresh(); });
  readRoute();
  refresh();
  setInterval(refresh, 1000);
});
