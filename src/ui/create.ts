import { session, sm, token } from './api.js';
import { announce, field, h, openDialog } from './dom.js';
import { tagsEditor, valueEditor } from './editors.js';
import { listChanged, openSecret } from './list.js';

/** Replica Regions typed as a list: commas or spaces between them. */
export function regionList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
}

/** CreateSecret: name, description, value (plaintext, key/value, binary), KMS key, tags, replica Regions. */
export function createDialog(): void {
  const name = h('input', {
    type: 'text',
    required: true,
    maxlength: 512,
    autocomplete: 'off',
    spellcheck: 'false',
    autofocus: true,
  });
  const description = h('textarea', { rows: 2, maxlength: 2048 });
  const kms = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'aws/secretsmanager' });
  const replicas = h('input', {
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'eu-west-1, us-west-2',
  });
  const value = valueEditor();
  const tags = tagsEditor();
  openDialog({
    title: 'Create secret',
    submit: 'Create',
    build: () => [
      field('Name', name, 'Letters, digits and /_+=.@- (a path such as prod/app/db works well).'),
      field('Description', description),
      value.element,
      field('KMS key ID', kms, 'Optional: a key id, ARN or alias. Recorded and shown; KMS is not emulated.'),
      tags.element,
      field('Replica Regions', replicas, `Optional: other Regions to replicate to from ${session.region}.`),
    ],
    async onSubmit() {
      const input: Record<string, unknown> = { Name: name.value.trim(), ClientRequestToken: token() };
      if (description.value) input.Description = description.value;
      if (kms.value.trim()) input.KmsKeyId = kms.value.trim();
      const v = value.value();
      if (v) Object.assign(input, v);
      const t = tags.tags();
      if (t.length) input.Tags = t;
      const regions = regionList(replicas.value);
      if (regions.length) input.AddReplicaRegions = regions.map((Region) => ({ Region }));
      const out = await sm<{ ARN: string; Name: string }>('CreateSecret', input);
      listChanged();
      announce(`Secret ${out.Name} created.`);
      openSecret(out.ARN);
    },
  });
}
