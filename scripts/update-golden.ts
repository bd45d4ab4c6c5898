// Rewrites test/golden/ from the current code. A change of behaviour: read the diff before committing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases, goldenDir } from '../test/helpers/golden.ts';

mkdirSync(goldenDir, { recursive: true });
for (const c of goldenCases()) writeFileSync(join(goldenDir, c.file), c.compute());
console.log(`wrote ${goldenCases().length} golden files to ${goldenDir}`);
