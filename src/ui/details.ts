import { session, sm, token } from './api.js';
import { deleteDialog } from './actions.js';
import { regionList } from './create.js';
import { announce, button, details, errorBox, errorText, field, fill, h, openDialog, time } from './dom.js';
import { flatObject, tagsEditor, valueEditor } from './editors.js';
import { go } from './router.js';
import type { ListVersionsResponse, PolicyValidation, Secret, SecretValue, Version } from './types.js';

/**
 * One secret: DescribeSecret, ListSecretVersionIds and GetResourcePolicy, with a section per concern and the
 * actions on each. The value is read (GetSecretValue) only when the user asks for it.
 */

const section = (title: string, ...children: (Node | null)[]) => {
  const id = `s-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { 'aria-labelledby': id, class: 'card' }, h('h2', { id }, title), ...children);
};

const table = (headers: string[], rows: (Node | string)[][], caption: string) =>
  h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            r.map((c) => h('td', null, c)),
          ),
        ),
      ),
    ),
  );

let renders = 0;

export async function renderSecret(main: HTMLElement, id: string): Promise<void> {
  const mine = ++renders;
  // an answer that arrives after the user went elsewhere is dropped
  const current = () => mine === renders && location.hash.startsWith('#/secret/');
  main.setAttribute('aria-busy', 'true');
  try {
    await draw(main, id, current);
  } finally {
    if (mine === renders) main.removeAttribute('aria-busy');
  }
}

async function draw(main: HTMLElement, id: string, current: () => boolean): Promise<void> {
  const crumbs = h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '#/' }, 'Secrets'));
  let secret: Secret;
  try {
    secret = await sm<Secret>('DescribeSecret', { SecretId: id });
  } catch (e) {
    if (!current()) return;
    const err = errorBox();
    fill(main, crumbs, h('h1', { tabindex: '-1' }, 'Secret'), err);
    err.show(e);
    return;
  }
  const arn = secret.ARN;
  const [versionsOut, policyOut] = await Promise.allSettled([
    sm<ListVersionsResponse>('ListSecretVersionIds', { SecretId: arn, IncludeDeprecated: true, MaxResults: 100 }),
    sm<{ ResourcePolicy?: string }>('GetResourcePolicy', { SecretId: arn }),
  ]);
  if (!current()) return;
  const versions = versionsOut.status === 'fulfilled' ? (versionsOut.value.Versions ?? []) : [];
  const reload = () => renderSecret(main, arn);
  // a replica refuses every write but a change of its own KMS key and its promotion: no controls for the others
  const isReplica = secret.PrimaryRegion !== undefined && secret.PrimaryRegion !== session.region;

  const top = h(
    'div',
    { class: 'page-head' },
    h('h1', { tabindex: '-1' }, secret.Name),
    h(
      'div',
      { class: 'buttons' },
      button('Refresh', () => void reload()),
      secret.DeletedDate === undefined && !isReplica
        ? button(
            'Delete',
            () =>
              deleteDialog([{ arn, name: secret.Name }], (_, atOnce) => {
                announce(`Secret ${secret.Name} ${atOnce ? 'deleted' : 'scheduled for deletion'}.`);
                go('#/');
              }),
            { class: 'danger' },
          )
        : null,
    ),
  );
  const restoreError = errorBox();
  const banner =
    secret.DeletedDate !== undefined
      ? h(
          'div',
          { class: 'banner warn', role: 'status' },
          h('p', null, 'This secret is scheduled for deletion on ', time(secret.DeletedDate), '.'),
          button('Restore', async () => {
            try {
              await sm('RestoreSecret', { SecretId: arn });
              announce(`Secret ${secret.Name} restored.`);
              await reload();
            } catch (e) {
              restoreError.show(e);
            }
          }),
          restoreError,
        )
      : null;

  fill(
    main,
    crumbs,
    top,
    banner,
    overview(secret, isReplica, reload),
    valueSection(secret, versions, isReplica, reload),
    tagsSection(secret, isReplica, reload),
    versionsSection(secret, versions, versionsOut, isReplica, reload),
    rotationSection(secret, isReplica, reload),
    replicationSection(secret, isReplica, reload),
    policySection(secret, policyOut, isReplica, reload),
  );
}

function overview(secret: Secret, readOnly: boolean, reload: () => Promise<void>): HTMLElement {
  return section(
    'Secret details',
    details([
      ['Name', secret.Name],
      ['ARN', h('code', { class: 'break' }, secret.ARN)],
      ['Description', secret.Description],
      ['KMS key', secret.KmsKeyId ?? 'aws/secretsmanager (default)'],
      ['Created', time(secret.CreatedDate)],
      ['Last changed', time(secret.LastChangedDate)],
      ['Last accessed', time(secret.LastAccessedDate)],
      ...(secret.PrimaryRegion ? [['Primary Region', secret.PrimaryRegion] as [string, string]] : []),
      ...(secret.OwningService ? [['Owning service', secret.OwningService] as [string, string]] : []),
    ]),
    h(
      'div',
      { class: 'buttons' },
      button('Edit details', () => editDetails(secret, readOnly, reload)),
    ),
  );
}

/** UpdateSecret: the description and the KMS key (a replica: its own key only). */
function editDetails(secret: Secret, readOnly: boolean, reload: () => Promise<void>): void {
  const description = h('textarea', { rows: 3, maxlength: 2048 });
  description.value = secret.Description ?? '';
  const kms = h('input', { type: 'text', value: secret.KmsKeyId ?? '', autocomplete: 'off', spellcheck: 'false' });
  openDialog({
    title: 'Edit details',
    submit: 'Save',
    build: () => [
      readOnly ? null : field('Description', description),
      field('KMS key ID', kms, 'A key ID, ARN or alias; empty for the default key, aws/secretsmanager.'),
    ],
    async onSubmit() {
      const input: Record<string, unknown> = { SecretId: secret.ARN };
      if (description.value !== (secret.Description ?? '')) input.Description = description.value;
      // empty goes back to the default key
      if (kms.value.trim() !== (secret.KmsKeyId ?? '')) input.KmsKeyId = kms.value.trim();
      if (Object.keys(input).length === 1) return;
      await sm('UpdateSecret', input);
      announce('Secret details saved.');
      await reload();
    },
  });
}

const labelsOf = (v: Version) => (v.VersionStages?.length ? v.VersionStages.join(', ') : 'no label');

function valueSection(
  secret: Secret,
  versions: Version[],
  readOnly: boolean,
  reload: () => Promise<void>,
): HTMLElement {
  const err = errorBox();
  const version = h(
    'select',
    null,
    h('option', { value: '' }, 'AWSCURRENT'),
    versions
      .filter((v) => !v.VersionStages?.includes('AWSCURRENT'))
      .map((v) => h('option', { value: v.VersionId }, `${v.VersionId} (${labelsOf(v)})`)),
  );
  const out = h('div', { class: 'value-out', hidden: true });
  let revealed: SecretValue | undefined;
  let asPairs = true;
  const reveal = button('Reveal value', () => void read(), { class: 'primary' });
  const hide = () => {
    revealed = undefined;
    out.hidden = true;
    fill(out);
    reveal.hidden = false;
  };
  version.addEventListener('change', hide);

  const text = () => revealed?.SecretString ?? revealed?.SecretBinary ?? '';
  const show = () => {
    if (!revealed) return;
    const pairs = revealed.SecretString !== undefined ? objectOf(revealed.SecretString) : undefined;
    const view = h('div', { class: 'value-view' });
    if (pairs && asPairs) {
      fill(
        view,
        table(
          ['Key', 'Value'],
          pairs.map(([k, v]) => [h('code', null, k), h('code', { class: 'pre' }, v)]),
          'The secret value as key/value pairs',
        ),
      );
    } else {
      const label = revealed.SecretBinary !== undefined ? 'Binary value (base64)' : 'Plaintext value';
      fill(view, h('pre', { class: 'value', 'aria-label': label, tabindex: '0' }, text()));
    }
    const toggle = pairs
      ? h(
          'div',
          { class: 'segmented', role: 'group', 'aria-label': 'Value view' },
          button('Key/value', () => ((asPairs = true), show()), { 'aria-pressed': String(asPairs) }),
          button('Plaintext', () => ((asPairs = false), show()), { 'aria-pressed': String(!asPairs) }),
        )
      : null;
    fill(
      out,
      h(
        'p',
        { class: 'hint' },
        `Version ${revealed.VersionId} (${(revealed.VersionStages ?? []).join(', ') || 'no label'})`,
      ),
      toggle,
      view,
      h(
        'div',
        { class: 'buttons' },
        button('Copy value', () => void copy()),
        button('Hide value', () => {
          hide();
          reveal.focus();
        }),
      ),
    );
    out.hidden = false;
  };

  async function read(): Promise<void> {
    err.clear();
    try {
      const input: Record<string, unknown> = { SecretId: secret.ARN };
      if (version.value) input.VersionId = version.value;
      revealed = await sm<SecretValue>('GetSecretValue', input);
      reveal.hidden = true;
      show();
      out.querySelector<HTMLElement>('button, pre')?.focus();
    } catch (e) {
      err.show(e);
    }
  }

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text());
      announce('Value copied to the clipboard.');
    } catch (e) {
      err.show(`Could not copy (${errorText(e)}): select the value and copy it.`);
    }
  }

  const edit = button('Edit value', () => {
    const current = revealed && !version.value ? revealed : undefined;
    const editor = valueEditor(current && { string: current.SecretString, binary: current.SecretBinary });
    openDialog({
      title: 'Edit value',
      submit: 'Save as new version',
      build: () => [
        h('p', null, 'The value is stored as a new version labelled AWSCURRENT; the current one becomes AWSPREVIOUS.'),
        editor.element,
      ],
      async onSubmit() {
        const v = editor.value();
        if (!v) throw new Error('Enter a value.');
        await sm('PutSecretValue', { SecretId: secret.ARN, ClientRequestToken: token(), ...v });
        announce('New version saved.');
        await reload();
      },
    });
  });

  edit.hidden = readOnly;
  return section('Secret value', h('div', { class: 'toolbar' }, field('Version', version), reveal, edit), err, out);
}

/** A JSON object's members as text (nested values as JSON), else undefined. */
function objectOf(text: string): [string, string][] | undefined {
  const flat = flatObject(text);
  if (flat) return flat;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => [
      k,
      typeof x === 'string' ? x : JSON.stringify(x),
    ]);
  } catch {
    return undefined;
  }
}

function tagsSection(secret: Secret, readOnly: boolean, reload: () => Promise<void>): HTMLElement {
  const tags = secret.Tags ?? [];
  return section(
    'Tags',
    tags.length
      ? table(
          ['Key', 'Value'],
          tags.map((t) => [t.Key, t.Value]),
          'Tags',
        )
      : h('p', { class: 'hint' }, 'No tags.'),
    h(
      'div',
      { class: 'buttons', hidden: readOnly },
      button('Edit tags', () => {
        const editor = tagsEditor(tags);
        openDialog({
          title: 'Edit tags',
          submit: 'Save tags',
          build: () => [editor.element],
          async onSubmit() {
            const next = editor.tags();
            const keys = new Set(next.map((t) => t.Key));
            const removed = tags.filter((t) => !keys.has(t.Key)).map((t) => t.Key);
            const changed = next.filter((t) => !tags.some((o) => o.Key === t.Key && o.Value === t.Value));
            if (removed.length) await sm('UntagResource', { SecretId: secret.ARN, TagKeys: removed });
            if (changed.length) await sm('TagResource', { SecretId: secret.ARN, Tags: changed });
            announce('Tags saved.');
            await reload();
          },
        });
      }),
    ),
  );
}

function versionsSection(
  secret: Secret,
  versions: Version[],
  out: PromiseSettledResult<unknown>,
  readOnly: boolean,
  reload: () => Promise<void>,
): HTMLElement {
  const err = errorBox();
  if (out.status === 'rejected') err.show(out.reason);
  return section(
    'Versions',
    err,
    versions.length
      ? table(
          ['Version ID', 'Labels', 'Created', 'Last accessed'],
          versions.map((v) => [
            h('code', { class: 'break' }, v.VersionId),
            h(
              'span',
              { class: 'labels' },
              (v.VersionStages ?? []).map((s) => h('span', { class: 'label' }, s)),
              v.VersionStages?.length ? null : 'no label (deprecated)',
            ),
            time(v.CreatedDate),
            time(v.LastAccessedDate),
          ]),
          'Versions and their staging labels',
        )
      : h('p', { class: 'hint' }, 'No versions.'),
    h(
      'div',
      { class: 'buttons', hidden: readOnly },
      button('Move label', () => moveLabel(secret, versions, reload), { disabled: versions.length === 0 }),
    ),
  );
}

function moveLabel(secret: Secret, versions: Version[], reload: () => Promise<void>): void {
  const labels = [...new Set(versions.flatMap((v) => v.VersionStages ?? []))].sort();
  const NEW = '\u0000new';
  const label = h(
    'select',
    null,
    labels.map((l) => h('option', { value: l }, l)),
    h('option', { value: NEW }, 'A new label…'),
  );
  const custom = h('input', { type: 'text', maxlength: 256, autocomplete: 'off', spellcheck: 'false' });
  const customField = field('New label', custom);
  customField.hidden = labels.length > 0;
  label.addEventListener('change', () => (customField.hidden = label.value !== NEW));
  const target = h(
    'select',
    null,
    versions.map((v) => h('option', { value: v.VersionId }, `${v.VersionId} (${labelsOf(v)})`)),
    h('option', { value: '' }, 'No version (remove the label)'),
  );
  openDialog({
    title: 'Move label',
    submit: 'Move label',
    build: () => [
      h('p', null, 'A label is on one version at a time: moving it takes it off the version that has it.'),
      field('Label', label),
      customField,
      field('Move to version', target),
    ],
    async onSubmit() {
      const stage = label.value === NEW || labels.length === 0 ? custom.value.trim() : label.value;
      if (!stage) throw new Error('Enter the label.');
      const holder = versions.find((v) => v.VersionStages?.includes(stage));
      if (holder && holder.VersionId === target.value) throw new Error(`${stage} is already on that version.`);
      if (!holder && !target.value) throw new Error(`No version has ${stage}.`);
      const input: Record<string, unknown> = { SecretId: secret.ARN, VersionStage: stage };
      if (target.value) input.MoveToVersionId = target.value;
      if (holder) input.RemoveFromVersionId = holder.VersionId;
      await sm('UpdateSecretVersionStage', input);
      announce(target.value ? `Label ${stage} moved.` : `Label ${stage} removed.`);
      await reload();
    },
  });
}

function schedule(secret: Secret): string | undefined {
  const r = secret.RotationRules;
  if (!r) return undefined;
  const base = r.ScheduleExpression ?? (r.AutomaticallyAfterDays ? `every ${r.AutomaticallyAfterDays} days` : '');
  return r.Duration ? `${base}, window ${r.Duration}` : base;
}

function rotationSection(secret: Secret, readOnly: boolean, reload: () => Promise<void>): HTMLElement {
  const err = errorBox();
  const act = (what: string, op: string, input: object) => async () => {
    err.clear();
    try {
      await sm(op, { SecretId: secret.ARN, ...input });
      announce(what);
      await reload();
    } catch (e) {
      err.show(e);
    }
  };
  return section(
    'Rotation',
    details([
      ['Rotation', secret.RotationEnabled ? 'Enabled' : 'Disabled'],
      [
        'Rotation function',
        secret.RotationLambdaARN
          ? h('code', { class: 'break' }, secret.RotationLambdaARN)
          : secret.RotationEnabled
            ? 'built-in rotator'
            : undefined,
      ],
      ['Schedule', schedule(secret)],
      ['Last rotated', time(secret.LastRotatedDate)],
      ['Next rotation', time(secret.NextRotationDate)],
    ]),
    err,
    h(
      'div',
      { class: 'buttons', hidden: readOnly },
      button('Rotate now', () => void act('Rotation started.', 'RotateSecret', { ClientRequestToken: token() })()),
      button('Edit rotation', () => editRotation(secret, reload)),
      secret.RotationEnabled
        ? button('Cancel rotation', () => void act('Rotation turned off.', 'CancelRotateSecret', {})())
        : null,
    ),
  );
}

function editRotation(secret: Secret, reload: () => Promise<void>): void {
  const rules = secret.RotationRules ?? {};
  const lambda = h('input', { type: 'text', value: secret.RotationLambdaARN ?? '', autocomplete: 'off' });
  const days = h('input', {
    type: 'number',
    min: 1,
    max: 1000,
    inputmode: 'numeric',
    value: rules.AutomaticallyAfterDays ?? (rules.ScheduleExpression ? '' : 30),
  });
  const expression = h('input', {
    type: 'text',
    value: rules.ScheduleExpression ?? '',
    placeholder: 'rate(10 days) or cron(0 16 1,15 * ? *)',
    spellcheck: 'false',
  });
  const duration = h('input', { type: 'text', value: rules.Duration ?? '', placeholder: '2h', spellcheck: 'false' });
  const immediately = h('input', { type: 'checkbox', checked: true });
  openDialog({
    title: 'Edit rotation',
    submit: 'Save rotation',
    build: () => [
      field(
        'Rotation function ARN',
        lambda,
        'Optional: a Lambda function ARN. Without one, the built-in rotator makes a new password.',
      ),
      field('Days between rotations', days, '1 to 1000; or leave empty and give a schedule expression.'),
      field('Schedule expression', expression),
      field('Window duration', duration, 'Optional: 1h to 24h.'),
      h('label', { class: 'inline' }, immediately, ' Rotate immediately'),
    ],
    async onSubmit() {
      const r: Record<string, unknown> = {};
      if (expression.value.trim()) r.ScheduleExpression = expression.value.trim();
      else if (days.value) r.AutomaticallyAfterDays = Number(days.value);
      else throw new Error('Give the days between rotations or a schedule expression.');
      if (duration.value.trim()) r.Duration = duration.value.trim();
      const input: Record<string, unknown> = {
        SecretId: secret.ARN,
        ClientRequestToken: token(),
        RotationRules: r,
        RotateImmediately: immediately.checked,
      };
      if (lambda.value.trim()) input.RotationLambdaARN = lambda.value.trim();
      await sm('RotateSecret', input);
      announce('Rotation saved.');
      await reload();
    },
  });
}

function replicationSection(secret: Secret, isReplica: boolean, reload: () => Promise<void>): HTMLElement {
  const err = errorBox();
  if (isReplica) {
    return section(
      'Replication',
      h('p', null, `A read-only replica of the secret in ${secret.PrimaryRegion}. Change it there.`),
      err,
      h(
        'div',
        { class: 'buttons' },
        button('Promote to standalone secret', async () => {
          try {
            await sm('StopReplicationToReplica', { SecretId: secret.ARN });
            announce('The replica is now a standalone secret.');
            await reload();
          } catch (e) {
            err.show(e);
          }
        }),
      ),
    );
  }
  const replicas = secret.ReplicationStatus ?? [];
  return section(
    'Replication',
    replicas.length
      ? table(
          ['Region', 'Status', 'Message', 'KMS key', 'Last accessed', 'Actions'],
          replicas.map((r) => [
            r.Region,
            r.Status ?? '',
            r.StatusMessage ?? '',
            r.KmsKeyId ?? '',
            time(r.LastAccessedDate),
            button(
              'Remove',
              async () => {
                err.clear();
                try {
                  await sm('RemoveRegionsFromReplication', { SecretId: secret.ARN, RemoveReplicaRegions: [r.Region] });
                  announce(`Replica in ${r.Region} removed.`);
                  await reload();
                } catch (e) {
                  err.show(e);
                }
              },
              { 'aria-label': `Remove replica in ${r.Region}`, class: 'small' },
            ),
          ]),
          'Replica Regions',
        )
      : h('p', { class: 'hint' }, 'Not replicated to other Regions.'),
    err,
    h(
      'div',
      { class: 'buttons' },
      button('Add replica Regions', () => {
        const regions = h('input', { type: 'text', placeholder: 'eu-west-1, us-west-2', spellcheck: 'false' });
        const kms = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
        const force = h('input', { type: 'checkbox' });
        openDialog({
          title: 'Add replica Regions',
          submit: 'Replicate',
          build: () => [
            field('Regions', regions, 'Separated by commas or spaces.'),
            field('KMS key ID', kms, 'Optional: the key of the replicas.'),
            h('label', { class: 'inline' }, force, ' Overwrite a secret of the same name there'),
          ],
          async onSubmit() {
            const list = regionList(regions.value);
            if (!list.length) throw new Error('Enter at least one Region.');
            const kmsKey = kms.value.trim();
            await sm('ReplicateSecretToRegions', {
              SecretId: secret.ARN,
              AddReplicaRegions: list.map((Region) => (kmsKey ? { Region, KmsKeyId: kmsKey } : { Region })),
              ForceOverwriteReplicaSecret: force.checked,
            });
            announce('Replication started.');
            await reload();
          },
        });
      }),
    ),
  );
}

function policySection(
  secret: Secret,
  out: PromiseSettledResult<{ ResourcePolicy?: string }>,
  readOnly: boolean,
  reload: () => Promise<void>,
): HTMLElement {
  const err = errorBox();
  const findings = h('div', { role: 'status', class: 'findings' });
  const current = out.status === 'fulfilled' ? out.value.ResourcePolicy : undefined;
  if (out.status === 'rejected') err.show(out.reason);
  const editor = h('textarea', { rows: 10, class: 'code', spellcheck: 'false', autocomplete: 'off' });
  editor.value = current ? pretty(current) : '';
  editor.readOnly = readOnly;
  editor.placeholder = '{"Version": "2012-10-17", "Statement": [...]}';
  const block = h('input', { type: 'checkbox', checked: true });
  const run = (fn: () => Promise<void>) => async () => {
    err.clear();
    fill(findings);
    try {
      await fn();
    } catch (e) {
      err.show(e);
    }
  };
  const validate = run(async () => {
    const v = await sm<PolicyValidation>('ValidateResourcePolicy', {
      SecretId: secret.ARN,
      ResourcePolicy: editor.value,
    });
    const errors = v.ValidationErrors ?? [];
    fill(
      findings,
      h(
        'p',
        { class: v.PolicyValidationPassed ? 'ok' : 'warn' },
        v.PolicyValidationPassed ? 'Validation passed.' : `Validation found ${errors.length} problem(s):`,
      ),
      errors.length
        ? h(
            'ul',
            null,
            errors.map((e) => h('li', null, h('strong', null, e.CheckName ?? 'Finding'), `: ${e.ErrorMessage ?? ''}`)),
          )
        : null,
    );
  });
  return section(
    'Resource policy',
    current ? null : h('p', { class: 'hint' }, 'This secret has no resource policy yet.'),
    field('Resource policy', editor),
    h(
      'label',
      { class: 'inline', hidden: readOnly },
      block,
      ' Block public policy (refuse a policy that grants broad access)',
    ),
    err,
    findings,
    h(
      'div',
      { class: 'buttons', hidden: readOnly },
      button('Validate policy', () => void validate()),
      button(
        'Save policy',
        () =>
          void run(async () => {
            await sm('PutResourcePolicy', {
              SecretId: secret.ARN,
              ResourcePolicy: editor.value,
              BlockPublicPolicy: block.checked,
            });
            announce('Resource policy saved.');
            await reload();
          })(),
        { class: 'primary' },
      ),
      current
        ? button(
            'Delete policy',
            () =>
              void run(async () => {
                await sm('DeleteResourcePolicy', { SecretId: secret.ARN });
                announce('Resource policy deleted.');
                await reload();
              })(),
            { class: 'danger' },
          )
        : null,
    ),
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
