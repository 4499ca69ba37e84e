import { sm } from './api.js';
import { h, openDialog, errorText, field } from './dom.js';

export interface Target {
  readonly arn: string;
  readonly name: string;
}

/** DeleteSecret for one or more secrets: with a recovery window (7-30 days) or at once. */
export function deleteDialog(targets: Target[], done: (deletedArns: string[], atOnce: boolean) => void): void {
  let pending = [...targets];
  const days = h('input', { type: 'number', min: 7, max: 30, value: 30, required: true, inputmode: 'numeric' });
  const force = h('input', { type: 'checkbox' });
  force.addEventListener('change', () => (days.disabled = force.checked));
  const shown = targets.slice(0, 10);
  const one = targets.length === 1;
  openDialog({
    title: one ? 'Delete secret' : `Delete ${targets.length} secrets`,
    submit: 'Delete',
    danger: true,
    build: () => [
      h('p', null, one ? 'This secret will be deleted:' : 'These secrets will be deleted:'),
      h(
        'ul',
        { class: 'names' },
        shown.map((t) => h('li', null, t.name)),
        targets.length > shown.length ? h('li', null, `and ${targets.length - shown.length} more`) : null,
      ),
      field(
        'Recovery window (days)',
        days,
        'Until then the secret can be restored; applications cannot read it. 7 to 30 days.',
      ),
      h('label', { class: 'inline' }, force, ' Delete immediately, without a recovery window (cannot be undone)'),
    ],
    async onSubmit() {
      const deleted: string[] = [];
      const failed: string[] = [];
      for (const t of pending) {
        const input = force.checked
          ? { SecretId: t.arn, ForceDeleteWithoutRecovery: true }
          : { SecretId: t.arn, RecoveryWindowInDays: Number(days.value) };
        try {
          await sm('DeleteSecret', input);
          deleted.push(t.arn);
        } catch (e) {
          failed.push(`${t.name}: ${errorText(e)}`);
        }
      }
      pending = pending.filter((t) => !deleted.includes(t.arn));
      if (deleted.length) done(deleted, force.checked);
      if (failed.length) throw new Error(failed.join('\n'));
    },
  });
}
