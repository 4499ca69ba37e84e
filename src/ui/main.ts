import { callerIdentity, lookupEvents, probeAuth, session } from './api.js';
import { renderAudit } from './audit.js';
import { renderSecret } from './details.js';
import { button, clearStatus, field, fill, h, openDialog } from './dom.js';
import { renderList, resetPaging } from './list.js';
import { go, onRoute, parseRoute } from './router.js';

/** The console's entry: finds out how the server wants to be called, then shows the view the hash names. */

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const main = () => document.getElementById('main')!;

/** The account and Region live in the page's query (a bookmark keeps them); credentials never leave memory. */
function saveScope(): void {
  const q = new URLSearchParams({ region: session.region });
  if (!session.auth) q.set('account', session.account);
  history.replaceState(null, '', `?${q.toString()}${location.hash}`);
}

function renderScope(): void {
  const box = document.getElementById('scope')!;
  const region = h(
    'select',
    null,
    (REGIONS.includes(session.region) ? REGIONS : [session.region, ...REGIONS]).map((r) =>
      h('option', { value: r, selected: r === session.region }, r),
    ),
  );
  region.addEventListener('change', () => {
    session.region = region.value;
    clearStatus();
    saveScope();
    resetPaging();
    void probeAudit().then(() => {
      if (parseRoute(location.hash).view === 'secret') go('#/');
      else render();
    });
  });
  let who: HTMLElement;
  if (!session.auth) {
    const account = h('input', {
      type: 'text',
      value: session.account,
      inputmode: 'numeric',
      pattern: '\\d{12}',
      maxlength: 12,
      size: 12,
      autocomplete: 'off',
      title: '12 digits: the access key id the console signs with',
    });
    account.addEventListener('change', () => {
      if (!ACCOUNT.test(account.value)) {
        account.setCustomValidity('An account id is 12 digits.');
        account.reportValidity();
        return;
      }
      account.setCustomValidity('');
      session.account = account.value;
      clearStatus();
      saveScope();
      resetPaging();
      if (parseRoute(location.hash).view === 'secret') go('#/');
      else render();
    });
    who = field('Account', account);
  } else if (session.credentials) {
    who = h(
      'div',
      { class: 'who' },
      h('span', { class: 'identity', title: session.identity ?? '' }, session.identity ?? session.account),
      button('Sign out', () => {
        session.credentials = undefined;
        session.identity = undefined;
        renderScope();
        render();
      }),
    );
  } else {
    who = h(
      'div',
      { class: 'who' },
      button('Sign in', () => signIn()),
    );
  }
  fill(box, who, field('Region', region));
  document.getElementById('nav-audit')!.hidden = !session.audit;
}

/**
 * Whether the audit view is of use: LookupEvents answers UnsupportedOperationException when the server keeps no
 * audit log, and AccessDeniedException to a caller who may not read it.
 */
async function probeAudit(): Promise<void> {
  try {
    await lookupEvents({ MaxResults: 1 });
    session.audit = true;
  } catch {
    session.audit = false;
  }
  document.getElementById('nav-audit')!.hidden = !session.audit;
}

function signIn(): void {
  const keyId = h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false' });
  const secret = h('input', { type: 'password', required: true, autocomplete: 'off' });
  const sessionToken = h('input', { type: 'password', autocomplete: 'off' });
  openDialog({
    title: 'Sign in',
    submit: 'Sign in',
    build: () => [
      h(
        'p',
        null,
        'This server checks signatures (--auth sigv4). Enter a key of its credentials file. ',
        'The keys stay in this tab’s memory: a reload forgets them.',
      ),
      field('Access key ID', keyId),
      field('Secret access key', secret),
      field('Session token', sessionToken, 'Only for temporary credentials (AssumeRole).'),
    ],
    async onSubmit() {
      const creds = {
        accessKeyId: keyId.value.trim(),
        secretAccessKey: secret.value,
        ...(sessionToken.value ? { sessionToken: sessionToken.value } : {}),
      };
      const who = await callerIdentity(creds);
      session.credentials = creds;
      session.identity = who.arn;
      session.account = who.account;
      await probeAudit();
      renderScope();
      render();
    },
  });
}

let rendering = 0;

function render(): void {
  const turn = ++rendering;
  const route = parseRoute(location.hash);
  const el = main();
  for (const a of document.querySelectorAll('header nav a')) {
    const current = a.getAttribute('href') === (route.view === 'audit' ? '#/audit' : '#/');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (session.auth && !session.credentials) {
    fill(
      el,
      h('h1', { tabindex: '-1' }, 'Sign in'),
      h('p', null, 'This server checks signatures: sign in with an access key of its credentials file.'),
      button('Sign in', () => signIn(), { class: 'primary' }),
    );
    return;
  }
  const done = () => {
    if (turn !== rendering) return;
    const active = document.activeElement;
    if (!active || active === document.body || !el.contains(active)) {
      if (!document.querySelector('dialog[open]')) el.querySelector<HTMLElement>('h1')?.focus();
    }
  };
  if (route.view === 'secret') {
    document.title = 'Secret - secretlite';
    void renderSecret(el, route.id).then(done);
  } else if (route.view === 'audit' && session.audit) {
    document.title = 'Audit log - secretlite';
    renderAudit(el);
    done();
  } else {
    document.title = 'Secrets - secretlite';
    renderList(el);
    done();
  }
}

async function boot(): Promise<void> {
  const el = main();
  document.querySelector('.skip')?.addEventListener('click', (ev) => {
    ev.preventDefault();
    el.focus();
  });
  if (!window.isSecureContext || !crypto.subtle) {
    fill(
      el,
      h('h1', null, 'The console needs a secure context'),
      h(
        'p',
        null,
        'It signs its requests with Web Crypto, which browsers offer only over HTTPS or on localhost. ',
        'Open it as http://localhost:<port>/_secretlite/ui/, or start secretlite with --tls-cert and --tls-key.',
      ),
    );
    return;
  }
  const q = new URLSearchParams(location.search);
  const region = q.get('region');
  if (region && REGION.test(region)) session.region = region;
  let identity;
  try {
    identity = await probeAuth();
  } catch (e) {
    fill(el, h('h1', null, 'secretlite does not answer'), h('p', { role: 'alert' }, String(e)));
    return;
  }
  session.auth = identity === undefined;
  if (identity) {
    const account = q.get('account');
    session.account = account && ACCOUNT.test(account) ? account : identity.account;
    await probeAudit();
  }
  saveScope();
  renderScope();
  onRoute(render);
  render();
  if (session.auth) signIn();
}

void boot();
