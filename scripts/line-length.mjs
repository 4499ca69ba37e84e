// `npm run lint`: no line of src/ over 120 characters (the generated model excepted). Prettier wraps code at 120
// but leaves comments and strings as written; this catches those.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 120;
const root = new URL('../src/', import.meta.url).pathname;
const long = [];
for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
  const path = join(entry.parentPath ?? entry.path, entry.name);
  if (path.startsWith(join(root, 'model'))) continue;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.length > MAX) long.push(`${path.slice(root.length - 4)}:${i + 1}: ${line.length} characters`);
    });
}
if (long.length > 0) {
  console.error(`lines over ${MAX} characters in src/:\n${long.join('\n')}`);
  process.exit(1);
}
